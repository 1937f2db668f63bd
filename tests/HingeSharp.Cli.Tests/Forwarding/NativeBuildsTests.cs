using System.Runtime.Intrinsics;
using HingeSharp.Cli.Forwarding;

namespace HingeSharp.Cli.Tests.Forwarding;

/// <summary>The AVX2 native build hands over to the AVX-512 one only where <c>/proc/cpuinfo</c> lists every AVX-512
/// subset x86-64-v4 needs; under the JIT nothing is handed over. (The native builds themselves are run by
/// <c>.ci/package-check</c>: the installed tool must say which width it runs.)</summary>
public sealed class NativeBuildsTests
{
    private const string Avx2Flags =
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall " +
        "nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl cpuid pni pclmulqdq ssse3 fma cx16 sse4_1 " +
        "sse4_2 movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm cmp_legacy abm sse4a misalignsse bmi1 avx2 " +
        "smep bmi2";

    [Fact]
    public void CpuOffersV4_NeedsEveryAvx512Subset()
    {
        Assert.False(NativeBuilds.CpuOffersV4(null));
        Assert.False(NativeBuilds.CpuOffersV4(Avx2Flags));
        Assert.False(NativeBuilds.CpuOffersV4(Avx2Flags + " avx512f avx512dq")); // no BW, CD, VL (e.g. Xeon Phi)
        Assert.True(NativeBuilds.CpuOffersV4(Avx2Flags + " avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl"));
        Assert.False(NativeBuilds.CpuOffersV4(Avx2Flags + " avx512fx avx512dqx avx512cdx avx512bwx avx512vlx"));
    }

    [Fact]
    public void UnderTheJit_NothingIsHandedOver_AndTheWidthIsTheMachines()
    {
        NativeBuilds.PreferAvx512(["eval", "--help"]); // returns: the JIT picks the width itself
        var expected = Vector512.IsHardwareAccelerated ? "512-bit" : Vector256.IsHardwareAccelerated ? "256-bit"
            : Vector128.IsHardwareAccelerated ? "128-bit" : "scalar";
        Assert.Equal(expected + " vectors (JIT)", NativeBuilds.Describe());
    }
}
