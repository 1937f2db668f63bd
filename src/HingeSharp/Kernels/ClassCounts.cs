namespace HingeSharp.Kernels;

/// <summary>A number of classes known when a method is compiled (<see cref="MulticlassTransposedBlocks"/>).</summary>
internal interface IClassCount
{
    static abstract int Value { get; }
}

#pragma warning disable SA1649, SA1402 // The class counts are one-line types that belong together.
internal readonly struct Classes9 : IClassCount
{
    public static int Value => 9;
}

internal readonly struct Classes10 : IClassCount
{
    public static int Value => 10;
}

internal readonly struct Classes11 : IClassCount
{
    public static int Value => 11;
}

internal readonly struct Classes12 : IClassCount
{
    public static int Value => 12;
}

internal readonly struct Classes13 : IClassCount
{
    public static int Value => 13;
}

internal readonly struct Classes14 : IClassCount
{
    public static int Value => 14;
}

internal readonly struct Classes15 : IClassCount
{
    public static int Value => 15;
}

internal readonly struct Classes16 : IClassCount
{
    public static int Value => 16;
}
#pragma warning restore SA1649, SA1402
