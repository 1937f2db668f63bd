using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests;

public sealed class TorchSmokeTests
{
    [Fact]
    public void Backward_OfSumOfSquares_GivesTwiceTheInput()
    {
        // Loading libLibTorchSharp.so at all is what the native fix is for; the values check that it also runs.
        double[] values = [1.5, -2.0, 0.25, 3.0];
        using var x = tensor(values, dtype: ScalarType.Float64, requires_grad: true);
        using var loss = x.pow(2).sum();
        loss.backward();

        Assert.Equal(values.Sum(v => v * v), loss.item<double>(), 15);
        double[] grad = x.grad!.data<double>().ToArray();
        Assert.Equal(values.Select(v => 2 * v), grad);
    }

    [Fact]
    public void TuneAllocator_CalledTwice_GivesTheSameAnswer()
    {
        bool first = TorchRuntime.TuneAllocator();
        Assert.Equal(first, TorchRuntime.TuneAllocator());
        if (OperatingSystem.IsLinux() && NativeLibraryExports("libc.so.6", "gnu_get_libc_version"))
        {
            Assert.True(first, "glibc should accept M_MMAP_THRESHOLD and M_TRIM_THRESHOLD of 1 GiB");
        }
    }

    private static bool NativeLibraryExports(string library, string symbol)
        => System.Runtime.InteropServices.NativeLibrary.TryLoad(library, out IntPtr handle)
            && System.Runtime.InteropServices.NativeLibrary.TryGetExport(handle, symbol, out _);
}
