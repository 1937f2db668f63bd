using HingeSharp.Torch.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Tests.Datasets;

public sealed class FakeDataTests
{
    [Fact]
    public void GetTensor_SameIndex_SameItemAcrossInstancesOrderAndThreads()
    {
        using var a = new FakeData(50, [3, 4, 5], numClasses: 2, seed: 42);
        using var b = new FakeData(50, [3, 4, 5], numClasses: 2, seed: 42);
        (float[] Image, int Label)[] forward = Enumerable.Range(0, 50).Select(i => a.GetItem(i)).ToArray();
        var parallel = new (float[] Image, int Label)[50];
        Parallel.For(0, 50, i => parallel[49 - i] = b.GetItem(49 - i));

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(forward[i].Image, parallel[i].Image);
            Assert.Equal(forward[i].Label, parallel[i].Label);
            using var scope = NewDisposeScope();
            Dictionary<string, Tensor> item = a.GetTensor(i);
            Assert.Equal([3L, 4L, 5L], item["data"].shape);
            Assert.Equal(ScalarType.Float32, item["data"].dtype);
            Assert.Equal(forward[i].Image, item["data"].data<float>().ToArray());
            Assert.Equal(ScalarType.Int64, item["label"].dtype);
            Assert.Equal(forward[i].Label, item["label"].item<long>());
        }
    }

    [Fact]
    public void GetItem_ValuesAreBytesOver255AndLabelsCoverTheClasses()
    {
        using var data = new FakeData(400, [2, 8, 8], numClasses: 3, seed: 7);
        var labels = new int[3];
        for (int i = 0; i < data.Size; i++)
        {
            (float[] image, int label) = data.GetItem(i);
            Assert.Equal(128, image.Length);
            foreach (float v in image)
            {
                float k = MathF.Round(v * 255f);
                Assert.InRange(k, 0f, 255f);
                Assert.Equal(k / 255f, v);
            }

            labels[label]++;
        }

        // 400 draws over 3 classes: each class far from empty (binomial sd ≈ 9.4 around 133).
        Assert.All(labels, count => Assert.InRange(count, 90, 180));
        Assert.NotEqual(data.GetItem(0).Image, new FakeData(400, [2, 8, 8], 3, seed: 8).GetItem(0).Image);
        Assert.NotEqual(data.GetItem(0).Image, data.GetItem(1).Image);
    }

    [Fact]
    public void CreateLoader_ShuffledWithWorkers_VisitsEveryItemOnceAndLeavesTheDataSetAlive()
    {
        using var data = new FakeData(70, [1, 2, 2], numClasses: 4, seed: 3);
        var seen = new List<(float First, long Label)>();
        using (var loader = data.CreateLoader(batchSize: 16, shuffle: true, seed: 1, numWorkers: 3))
        {
            Assert.Equal(5, loader.Count);
            foreach (Dictionary<string, Tensor> batch in loader)
            {
                Tensor images = batch["data"];
                Assert.Equal(4, images.shape.Length);
                float[] values = images.data<float>().ToArray();
                long[] labels = batch["label"].data<long>().ToArray();
                Assert.Equal(images.shape[0], labels.Length);
                for (int i = 0; i < labels.Length; i++)
                {
                    seen.Add((values[i * 4], labels[i]));
                }
            }
        }

        var expected = Enumerable.Range(0, 70).Select(i => data.GetItem(i)).Select(t => (t.Image[0], (long)t.Label));
        Assert.Equal(expected.Order(), seen.Order());
        Assert.NotEqual(expected, seen);    // shuffled (70! orders; identity is 1 of them)
        Assert.Equal(4, data.GetItem(69).Image.Length);   // still usable after the loader is disposed
    }

    [Fact]
    public void CreateLoader_Seeded_NewOrderEachPassSameSequenceEachRun()
    {
        using var data = new FakeData(40, [1], numClasses: 2, seed: 5);
        List<float> Pass(IEnumerable<Dictionary<string, Tensor>> loader)
        {
            var firsts = new List<float>();
            foreach (Dictionary<string, Tensor> batch in loader)
            {
                firsts.AddRange(batch["data"].data<float>().ToArray());
            }

            return firsts;
        }

        using var a = data.CreateLoader(8, shuffle: true, seed: 9);
        using var b = data.CreateLoader(8, shuffle: true, seed: 9);
        List<float> a1 = Pass(a), a2 = Pass(a);

        Assert.NotEqual(a1, a2);
        Assert.Equal(a1, Pass(b));
        Assert.Equal(a2, Pass(b));
    }

    [Fact]
    public void TorchSharpDataLoader_DisposesTheDataSetUnlessToldNotTo()
    {
        var owned = new FakeData(8, [2], numClasses: 2);
        using (var loader = torch.utils.data.DataLoader(owned, 4))
        {
            Assert.Equal(2, CountBatches(loader));
        }

        Assert.Throws<ObjectDisposedException>(() => owned.GetItem(0));

        using var kept = new FakeData(8, [2], numClasses: 2);
        using (var loader = torch.utils.data.DataLoader(kept, 4, disposeDataset: false))
        {
            Assert.Equal(2, CountBatches(loader));
        }

        Assert.Equal(2, kept.GetItem(0).Image.Length);
    }

    [Fact]
    public void Constructor_BadArguments_ThrowNamingTheArgument()
    {
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => new FakeData(0)).ParamName);
        Assert.Equal("numClasses", Assert.Throws<ArgumentOutOfRangeException>(
            () => new FakeData(10, [1], numClasses: 0)).ParamName);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FakeData(10, [3, 0, 2]));
        Assert.Equal("imageShape", e.ParamName);
        Assert.Contains("dimension 1", e.Message);
        using var data = new FakeData(10, [1]);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => data.GetItem(10)).ParamName);
    }

    private static int CountBatches(IEnumerable<Dictionary<string, Tensor>> loader)
    {
        int count = 0;
        foreach (Dictionary<string, Tensor> batch in loader)
        {
            Assert.Equal(4, batch["label"].shape[0]);
            count++;
        }

        return count;
    }
}
