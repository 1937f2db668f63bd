using System.Reflection;
using System.Text;

namespace HingeSharp.Torch.Tests;

/// <summary>Checks what HingeSharp.Torch's buildTransitive/HingeSharp.Torch.targets (imported by Directory.Build.targets)
/// did to the output copy of libLibTorchSharp.so.</summary>
public sealed class NativeFixTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const ushort VerFlgWeak = 0x2;

    [Fact]
    public void OutputCopy_WeakFlag_SetExactlyWhenSystemLibStdCxxLacksVersion()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Fail("This test is written for Linux, the only OS whose TorchSharp native the fix patches.");
        }

        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string cache = Path.Combine(NuGetPackageRoot(), "torchsharp", TorchSharpVersion(), "runtimes", "linux-x64",
            "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), $"missing {output}");
        Assert.True(File.Exists(cache), $"missing {cache}");

        byte[] outputBytes = File.ReadAllBytes(output);
        byte[] cacheBytes = File.ReadAllBytes(cache);
        long flagsOffset = ElfVersionNeeds.FlagsOffset(outputBytes, Version);
        Assert.Equal(flagsOffset, ElfVersionNeeds.FlagsOffset(cacheBytes, Version));

        bool systemHasVersion = SystemLibStdCxxDefines(Version);
        ushort outputFlags = BitConverter.ToUInt16(outputBytes, (int)flagsOffset);
        ushort cacheFlags = BitConverter.ToUInt16(cacheBytes, (int)flagsOffset);

        Assert.Equal(0, cacheFlags & VerFlgWeak);   // the NuGet cache is never patched
        Assert.Equal(systemHasVersion ? 0 : VerFlgWeak, outputFlags & VerFlgWeak);

        // Apart from that one flag the output copy is byte for byte the package's file.
        Assert.Equal(cacheBytes.Length, outputBytes.Length);
        outputBytes[flagsOffset] = cacheBytes[flagsOffset];
        Assert.True(outputBytes.AsSpan().SequenceEqual(cacheBytes), "output copy differs elsewhere");
    }

    private static string NuGetPackageRoot()
        => typeof(NativeFixTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;

    private static string TorchSharpVersion()
    {
        Version v = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        return $"{v.Major}.{v.Minor}.{v.Build}";
    }

    private static bool SystemLibStdCxxDefines(string version)
    {
        // The fix looks in these places in this order; a version string exists in libstdc++ only if it defines it.
        string[] dirs = ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib"];
        string lib = dirs.Select(d => Path.Combine(d, "libstdc++.so.6")).First(File.Exists);
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        return File.ReadAllBytes(lib).AsSpan().IndexOf(needle) >= 0;
    }

    /// <summary>Independent reader of an ELF64 little-endian file's .gnu.version_r section.</summary>
    private static class ElfVersionNeeds
    {
        public static long FlagsOffset(byte[] elf, string version)
        {
            Assert.True(elf.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) && elf[4] == 2 && elf[5] == 1, "not ELF64 LE");
            long shoff = BitConverter.ToInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A);
            int shnum = BitConverter.ToUInt16(elf, 0x3C);
            for (int s = 0; s < shnum; s++)
            {
                int sh = checked((int)(shoff + (s * shentsize)));
                if (BitConverter.ToUInt32(elf, sh + 4) != 0x6ffffffe)
                {
                    continue;
                }

                int offset = checked((int)BitConverter.ToInt64(elf, sh + 0x18));
                int link = BitConverter.ToInt32(elf, sh + 0x28);
                uint count = BitConverter.ToUInt32(elf, sh + 0x2C);
                int strtab = checked((int)BitConverter.ToInt64(elf, checked((int)(shoff + (link * shentsize))) + 0x18));
                int vn = offset;
                for (uint i = 0; i < count; i++, vn += BitConverter.ToInt32(elf, vn + 12))
                {
                    int aux = vn + BitConverter.ToInt32(elf, vn + 8);
                    for (int j = 0; j < BitConverter.ToUInt16(elf, vn + 2); j++, aux += BitConverter.ToInt32(elf, aux + 12))
                    {
                        int name = strtab + BitConverter.ToInt32(elf, aux + 8);
                        int end = Array.IndexOf(elf, (byte)0, name);
                        if (Encoding.ASCII.GetString(elf, name, end - name) == version)
                        {
                            return aux + 4;
                        }
                    }
                }
            }

            Assert.Fail($"no Vernaux entry {version}");
            return -1;
        }
    }
}
