using HingeSharp.Cli.IO;
using HingeSharp.Cli.Tests.Infrastructure;

namespace HingeSharp.Cli.Tests.IO;

/// <summary>The .npy header parser on the spellings numpy (and older numpy) writes.</summary>
public sealed class NpyHeaderTests
{
    private static NpyHeader Parse(string dict, int version = 1)
    {
        using var stream = new MemoryStream(NpyWriter.Bytes("<f4", [1], [], version, headerOverride: dict));
        return NpyHeader.Read(stream, "x.npy");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Read_EveryVersion_FindsDescrShapeAndDataOffset(int version)
    {
        var bytes = NpyWriter.Bytes("<f8", [4, 3], new double[12], version);
        using var stream = new MemoryStream(bytes);
        var header = NpyHeader.Read(stream, "x.npy");
        Assert.Equal(NpyType.Float64, header.Type);
        Assert.Equal([4L, 3L], header.Shape);
        Assert.Equal(bytes.Length - (12 * 8), header.DataOffset);
        Assert.Equal(0, header.DataOffset % 64); // numpy pads the header to a multiple of 64
    }

    [Fact]
    public void Read_Python2LongsAndDoubleQuotes_Parse()
    {
        var header = Parse("{\"descr\": \">i4\", \"fortran_order\": False, \"shape\": (3L, 2L)}");
        Assert.Equal(NpyType.Int32, header.Type);
        Assert.True(header.BigEndian);
        Assert.Equal([3L, 2L], header.Shape);
    }

    [Theory]
    [InlineData("|u1", "UInt8", false)]
    [InlineData("|b1", "Bool", false)]
    [InlineData(">u1", "UInt8", false)] // one byte has no byte order
    [InlineData("=f4", "Float32", false)]
    [InlineData("<u2", "UInt16", false)]
    [InlineData(">f8", "Float64", true)]
    public void Read_Descr_GivesTypeAndByteOrder(string descr, string type, bool bigEndian)
    {
        var header = Parse($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (5,), }}");
        Assert.Equal(Enum.Parse<NpyType>(type), header.Type);
        Assert.Equal(bigEndian, header.BigEndian);
    }

    [Theory]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}", "structured dtypes")]
    [InlineData("{'fortran_order': False, 'shape': (1,)}", "no 'descr' key")]
    [InlineData("{'descr': '<f4', 'shape': (1,)}", "no boolean 'fortran_order'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False}", "no integer tuple 'shape'")]
    [InlineData("{'descr': '<f2', 'fortran_order': False, 'shape': (1,)}", "unsupported dtype '<f2'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} trailing", "malformed header dict")]
    public void Read_BadHeader_NamesTheProblem(string dict, string expected)
    {
        var e = Assert.Throws<CliInputException>(() => Parse(dict));
        Assert.StartsWith("x.npy: header: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
