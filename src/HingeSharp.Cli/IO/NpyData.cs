using System.Globalization;
using System.IO.MemoryMappedFiles;

namespace HingeSharp.Cli.IO;

/// <summary>
/// The data bytes of a <c>.npy</c> file handed out in consecutive ranges, in one sequential pass. By default every
/// file (regular, pipe, terminal) is read with plain <c>read</c> calls into two reusable chunk-sized buffers in turn
/// (one is read ahead while the kernels read the other, in the CPU cache); with <c>HINGE_NPY_MMAP=1</c> a regular
/// file is memory-mapped in windows of <see cref="WindowBytes"/> that are unmapped as the reader moves on. Both keep
/// memory flat whatever the file size. Reading is the default because it measured faster: on the development VM (AMD EPYC, 2 vCPUs) an
/// 800 MB pair costs about 0.2 s of CPU through <c>read</c> and 0.6 s mapped (4 KiB pages of the page cache cost a
/// TLB miss each under nested paging; see benchmarks/HingeSharp.Benchmarks/README.md).
/// </summary>
internal abstract class NpyData : IDisposable
{
    /// <summary>Bytes mapped at a time (a chunk longer than that gets a window of its own length).</summary>
    internal const int WindowBytes = 16 << 20;

    /// <summary>Bytes handed out so far, counted from the start of the file.</summary>
    public abstract long Position { get; }

    /// <summary>The <paramref name="length"/> bytes that follow the last range (or start at the data offset): valid
    /// until the next call.</summary>
    /// <param name="length">Bytes wanted.</param>
    /// <param name="available">Bytes actually there (less than <paramref name="length"/> only when a stream ends
    /// early).</param>
    public abstract ReadOnlySpan<byte> Next(int length, out int available);

    /// <summary>Reads the range the next <see cref="Next"/> call with the same <paramref name="length"/> returns, now
    /// (a mapped file needs nothing).</summary>
    /// <param name="length">Bytes the next call asks for.</param>
    public virtual void Fill(int length)
    {
    }

    /// <summary>Continues at byte <paramref name="position"/> of the file (a rank's share in a distributed run);
    /// the stream must be able to seek.</summary>
    /// <param name="position">Offset from the start of the file, at or after the data offset.</param>
    public abstract void Seek(long position);

    /// <summary>Whether regular files are memory-mapped (<c>HINGE_NPY_MMAP=1</c>) instead of read.</summary>
    internal static bool MapFiles { get; set; } = Environment.GetEnvironmentVariable("HINGE_NPY_MMAP") == "1";

    /// <summary>The data of <paramref name="stream"/> (positioned at <paramref name="dataOffset"/>): read in
    /// sequence, or mapped when <see cref="MapFiles"/> is set and the stream is a file that can seek.</summary>
    public static NpyData Open(Stream stream, long dataOffset, long dataBytes) =>
        MapFiles && stream is FileStream { CanSeek: true } file && dataBytes > 0
            ? new Mapped(file, dataOffset, dataBytes)
            : new Sequential(stream, dataOffset);

    /// <inheritdoc/>
    public abstract void Dispose();

    /// <summary>A regular file, mapped window by window.</summary>
    private sealed unsafe class Mapped : NpyData
    {
        private readonly MemoryMappedFile _file;
        private readonly long _end;
        private MemoryMappedViewAccessor? _view;
        private byte* _pointer;
        private long _windowStart;
        private long _windowEnd;
        private long _position;

        public Mapped(FileStream stream, long dataOffset, long dataBytes)
        {
            _file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read,
                HandleInheritability.None, leaveOpen: true);
            _position = dataOffset;
            _end = dataOffset + dataBytes;
        }

        public override long Position => _position;

        public override ReadOnlySpan<byte> Next(int length, out int available)
        {
            available = (int)Math.Min(length, _end - _position);
            if (available <= 0)
            {
                available = 0;
                return [];
            }

            if (_view is null || _position < _windowStart || _position + available > _windowEnd)
            {
                Map(_position, available);
            }

            var span = new ReadOnlySpan<byte>(_pointer + (_position - _windowStart), available);
            _position += available;
            return span;
        }

        public override void Seek(long position) => _position = Math.Min(position, _end);

        public override void Dispose()
        {
            Unmap();
            _file.Dispose();
        }

        private void Map(long offset, int length)
        {
            Unmap();
            var page = Environment.SystemPageSize;
            var start = offset - (offset % page);
            var size = Math.Min(_end - start, Math.Max(WindowBytes, offset - start + length));
            _view = _file.CreateViewAccessor(start, size, MemoryMappedFileAccess.Read);
            byte* p = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            _pointer = p + _view.PointerOffset;
            _windowStart = start;
            _windowEnd = start + size;
        }

        private void Unmap()
        {
            if (_view is not null)
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
                _view.Dispose();
                _view = null;
                _pointer = null;
            }
        }
    }

    /// <summary>Any stream (a file, a pipe, a terminal): read in order into two buffers in turn, so that a range
    /// handed out stays valid while <see cref="Fill"/> reads the next one (on another thread).</summary>
    private sealed class Sequential(Stream stream, long dataOffset) : NpyData
    {
        private readonly byte[][] _buffers = [[], []];
        private int _handedOut;
        private long _position = dataOffset;
        private (int Length, int Available)? _filled;

        public override long Position => _position;

        public override void Fill(int length)
        {
            _filled = null;
            _ = Next(length, out var available);
            _filled = (length, available);
        }

        public override ReadOnlySpan<byte> Next(int length, out int available)
        {
            if (_filled is { } filled)
            {
                _filled = null;
                if (filled.Length == length)
                {
                    available = filled.Available;
                    return _buffers[_handedOut].AsSpan(0, available);
                }

                throw new InvalidOperationException("Next must ask for the length Fill read");
            }

            // The buffer not handed out last: the caller may still be reading that one.
            _handedOut ^= 1;
            if (_buffers[_handedOut].Length < length)
            {
                _buffers[_handedOut] = new byte[length];
            }

            var buffer = _buffers[_handedOut];
            var total = 0;
            while (total < length)
            {
                var n = stream.Read(buffer, total, length - total);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            available = total;
            _position += total;
            return buffer.AsSpan(0, total);
        }

        public override void Seek(long position)
        {
            _filled = null;
            stream.Position = position;
            _position = position;
        }

        public override void Dispose()
        {
        }
    }

    /// <summary>Invariant text of a number (for messages).</summary>
    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
