using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Datasets;

/// <summary>
/// A map-style TorchSharp data set of random images and labels, like torchvision's
/// <c>FakeData(size, image_size, num_classes, transform=ToTensor())</c>: item i is a float32 image of
/// <see cref="ImageShape"/> holding <c>k / 255</c> for random bytes k (what <c>ToTensor</c> makes of a random
/// 8-bit image, so values lie in [0, 1]) and an int64 label in [0, <see cref="NumClasses"/>).
/// </summary>
/// <remarks>
/// <para>Every item is a pure function of (<see cref="Seed"/>, index): a SplitMix64 stream keyed by both
/// produces the bytes and then the label. Items are identical whichever thread, order or worker count asks for
/// them, and on every platform; torchvision's own pixel values (from <c>torch.randn</c> under
/// <c>manual_seed(index)</c>) are not reproduced.</para>
/// <para>Items are dictionaries with keys <c>data</c> (the image) and <c>label</c> (a 0-d int64 tensor), as
/// TorchSharp's <c>DataLoader</c> collates them into <c>data</c> <c>(B, C, H, W)</c> and <c>label</c>
/// <c>(B,)</c>. TorchSharp's <c>DataLoader</c> disposes its data set when it is disposed unless created with
/// <c>disposeDataset: false</c>; <see cref="CreateLoader"/> does that, so one FakeData can feed several loaders.
/// Using the data set after it was disposed throws <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
/// <example><code>
/// using var data = new FakeData(size: 15000, imageShape: [3, 28, 28], numClasses: 2, seed: 42);
/// using var loader = data.CreateLoader(batchSize: 64, shuffle: true, seed: 42, numWorkers: 4);
/// foreach (var batch in loader) { Tensor images = batch["data"], labels = batch["label"]; }
/// </code></example>
public sealed class FakeData : torch.utils.data.Dataset
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private readonly long[] _imageShape;
    private readonly int _pixels;
    private bool _disposed;

    /// <summary>Creates the data set (no data is generated until items are read).</summary>
    /// <param name="size">Number of items, &gt;= 1 (torchvision's default 1000).</param>
    /// <param name="imageShape">Image shape, e.g. <c>[3, 28, 28]</c>; <see langword="null"/> for torchvision's
    /// default <c>[3, 224, 224]</c>.</param>
    /// <param name="numClasses">Number of classes, &gt;= 1 (torchvision's default 10).</param>
    /// <param name="seed">Seed of every item's generator (torchvision's <c>random_offset</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public FakeData(int size = 1000, long[]? imageShape = null, int numClasses = 10, long seed = 0)
    {
        if (size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size,
                $"Expected `size` to be a positive integer, but got {size}.");
        }

        if (numClasses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses,
                $"Expected `numClasses` to be a positive integer, but got {numClasses}.");
        }

        imageShape ??= [3, 224, 224];
        long pixels = 1;
        for (int i = 0; i < imageShape.Length; i++)
        {
            if (imageShape[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(imageShape), $"Expected positive dimensions in "
                    + $"`imageShape`, but dimension {i} is {imageShape[i]} in [{string.Join(", ", imageShape)}].");
            }

            pixels *= imageShape[i];
        }

        if (pixels > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(imageShape),
                $"An image of [{string.Join(", ", imageShape)}] has {pixels} values, more than an array holds.");
        }

        Size = size;
        _imageShape = (long[])imageShape.Clone();
        _pixels = (int)pixels;
        NumClasses = numClasses;
        Seed = seed;
    }

    /// <summary>Number of items.</summary>
    public int Size { get; }

    /// <summary>Shape of every image.</summary>
    public IReadOnlyList<long> ImageShape => _imageShape;

    /// <summary>Number of classes.</summary>
    public int NumClasses { get; }

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <inheritdoc/>
    public override long Count => Size;

    /// <summary>Item <paramref name="index"/> as plain arrays: the image (row-major, values k / 255) and the
    /// label. Needs no native library.</summary>
    /// <param name="index">Item index in [0, <see cref="Size"/>).</param>
    /// <returns>The image values and the label.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public (float[] Image, int Label) GetItem(long index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var image = new float[_pixels];
        int label = Fill(index, image);
        return (image, label);
    }

    /// <summary>Writes every item at once: image i at <c>images[i·P…]</c> (P values per image) and its label at
    /// <c>labels[i]</c>, the values <see cref="GetItem"/> gives.</summary>
    /// <param name="images">Destination of <see cref="Size"/> × P values.</param>
    /// <param name="labels">Destination of <see cref="Size"/> labels.</param>
    internal void FillAll(Span<float> images, Span<int> labels)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (int i = 0; i < Size; i++)
        {
            labels[i] = Fill(i, images.Slice(i * _pixels, _pixels));
        }
    }

    /// <summary>Item <paramref name="index"/> as tensors: <c>data</c> (float32, <see cref="ImageShape"/>) and
    /// <c>label</c> (0-d int64).</summary>
    /// <param name="index">Item index in [0, <see cref="Size"/>).</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public override Dictionary<string, Tensor> GetTensor(long index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var image = new float[_pixels];
        int label = Fill(index, image);
        return new Dictionary<string, Tensor>
        {
            ["data"] = torch.tensor(image, _imageShape),
            ["label"] = torch.tensor((long)label),
        };
    }

    /// <summary>
    /// A TorchSharp <c>DataLoader</c> over this data set that leaves the data set alive when the loader is
    /// disposed (<c>disposeDataset: false</c>) and frees each item's tensors as soon as they are collated, also
    /// those produced on worker threads (which TorchSharp's default collate leaves to the finalizer).
    /// </summary>
    /// <param name="batchSize">Items per batch.</param>
    /// <param name="shuffle">Whether to visit items in a random order, a new one on every pass as PyTorch's
    /// <c>shuffle=True</c> does (TorchSharp's own seeded shuffler repeats the same order every pass).</param>
    /// <param name="seed">Seed of the sequence of orders; <see langword="null"/> for a random one.</param>
    /// <param name="numWorkers">Threads that read items in parallel (TorchSharp's <c>num_worker</c>).</param>
    /// <param name="dropLast">Whether to drop a last incomplete batch.</param>
    /// <param name="device">Device of the batches; <see langword="null"/> for the CPU.</param>
    /// <returns>The loader; batches are dictionaries with <c>data</c> and <c>label</c>, disposed when the
    /// enumeration moves on.</returns>
    public DataLoader<Dictionary<string, Tensor>, Dictionary<string, Tensor>> CreateLoader(int batchSize,
        bool shuffle = false, int? seed = null, int numWorkers = 1, bool dropLast = false, Device? device = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numWorkers, 1);
        IEnumerable<long> order = shuffle
            ? new EpochShuffler(Size, seed)
            : Enumerable.Range(0, Size).Select(i => (long)i);
        return new DataLoader<Dictionary<string, Tensor>, Dictionary<string, Tensor>>(this, batchSize, Collate,
            order, device, numWorkers, dropLast, disposeBatch: true, disposeDataset: false);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    private static Dictionary<string, Tensor> Collate(IEnumerable<Dictionary<string, Tensor>> items, Device device)
    {
        Dictionary<string, Tensor>[] list = items.ToArray();
        try
        {
            using var scope = torch.NewDisposeScope();
            var batch = new Dictionary<string, Tensor>();
            foreach (string key in list[0].Keys)
            {
                Tensor stacked = torch.stack(list.Select(item => item[key]), 0);
                if (stacked.device_type != device.type || stacked.device_index != device.index)
                {
                    stacked = stacked.to(device);
                }

                batch[key] = stacked.MoveToOuterDisposeScope();
            }

            return batch;
        }
        finally
        {
            foreach (Dictionary<string, Tensor> item in list)
            {
                foreach (Tensor t in item.Values)
                {
                    t.Dispose();
                }
            }
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private int Fill(long index, Span<float> image)
    {
        if (index < 0 || index >= Size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"Expected `index` in [0, {Size}), but got {index}.");
        }

        // SplitMix64 stream with a start state keyed by (seed, index).
        ulong state = Mix(Mix((ulong)Seed) ^ ((ulong)index * Golden));
        int i = 0;
        while (i < image.Length)
        {
            state += Golden;
            ulong word = Mix(state);
            for (int b = 0; b < 8 && i < image.Length; b++, i++)
            {
                image[i] = (byte)(word >> (8 * b)) / 255f;
            }
        }

        state += Golden;
        return (int)((Mix(state) >> 32) * (ulong)NumClasses >> 32);
    }

    /// <summary>Index orders for a loader: a fresh Fisher–Yates permutation on every enumeration, drawn from one
    /// seeded stream, so pass k is the same in every run with the same seed.</summary>
    internal sealed class EpochShuffler(int size, int? seed) : IEnumerable<long>
    {
        private readonly Random _random = seed is { } s ? new Random(s) : new Random();

        public IEnumerator<long> GetEnumerator()
        {
            var order = new long[size];
            for (int i = 0; i < size; i++)
            {
                order[i] = i;
            }

            for (int i = size - 1; i > 0; i--)
            {
                int j = _random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            return ((IEnumerable<long>)order).GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
