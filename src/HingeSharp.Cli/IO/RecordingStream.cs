namespace HingeSharp.Cli.IO;

/// <summary>A read-only view of a stream that keeps a copy of what it hands out when the stream cannot seek, so
/// that a format sniff's bytes can be read again (<see cref="ReplayStream"/>). The inner stream is not disposed.
/// </summary>
internal sealed class RecordingStream(Stream inner) : Stream
{
    private readonly MemoryStream? _copy = inner.CanSeek ? null : new MemoryStream();

    /// <summary>The bytes read so far (empty for a stream that can seek: it seeks back instead).</summary>
    public ReadOnlyMemory<byte> Recorded =>
        _copy is null ? ReadOnlyMemory<byte>.Empty : _copy.GetBuffer().AsMemory(0, (int)_copy.Length);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _copy?.Write(buffer[..n]);
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
