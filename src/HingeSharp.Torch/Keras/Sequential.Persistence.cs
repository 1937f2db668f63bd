using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace HingeSharp.Torch.Keras;

public sealed partial class Sequential
{
    private const string Magic = "HINGESHARP-KERAS";
    private const string EndMarker = "END.";
    private const int FormatVersion = 1;

    /// <summary>
    /// Saves everything needed to continue training (Keras' <c>model.save</c>) in one versioned file: the layers,
    /// weights (and batch-normalization statistics), compile settings, the optimizer's slots and iteration count,
    /// <see cref="CompletedEpochs"/>, and the state of the shuffle/dropout generator (<see cref="Generator"/>, or
    /// torch's default generator when it is <see langword="null"/>). Written to a temporary file, then renamed.
    /// </summary>
    /// <param name="path">Target file (replaced).</param>
    /// <exception cref="InvalidOperationException">The model is not built, or it is compiled with a custom loss or
    /// metric that <see cref="Load"/> could not recreate (save the weights with <see cref="SaveWeights"/>).
    /// </exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        EnsureBuilt();
        JsonObject header = Header("model");
        header["layers"] = new JsonArray(_layers.Select(l => (JsonNode)new JsonObject
        {
            ["type"] = l.GetType().Name, ["name"] = l.Name, ["config"] = l.GetConfig(),
        }).ToArray());
        header["completed_epochs"] = CompletedEpochs;
        header["generator"] = Generator is null ? "default" : "own";
        var tensors = WeightTensors();
        if (Loss is not null)
        {
            string loss = Loss.SaveKey ?? throw new InvalidOperationException($"Loss `{Loss.Name}` is a custom loss "
                + "that Load cannot recreate; use SaveWeights, or compile with a built-in loss.");
            var metrics = new JsonArray();
            foreach (object spec in _metricSpecs)
            {
                string name = spec as string ?? ((KerasMetric)spec).Name;
                _ = TryMetric(name) ?? throw new InvalidOperationException($"Metric `{name}` is a custom metric that "
                    + "Load cannot recreate; use SaveWeights.");
                metrics.Add(name);
            }

            header["compile"] = new JsonObject
            {
                ["loss"] = loss, ["metrics"] = metrics, ["optimizer"] = Optimizer!.GetFullConfig(),
                ["iterations"] = Optimizer.Iterations,
            };
            int p = 0;
            foreach (Tensor[] slots in Optimizer.Slots)
            {
                for (int s = 0; s < slots.Length; s++)
                {
                    tensors.Add(($"optimizer/{p}/{s}", slots[s]));
                }

                p++;
            }
        }

        using var scope = torch.NewDisposeScope();
        tensors.Add(("generator", Generator?.get_state() ?? torch.random.get_rng_state()));
        ModelFile.Write(path, header, tensors);
    }

    /// <summary>Loads a model written by <see cref="Save"/>: built, with its weights, compiled with the saved loss,
    /// metrics and optimizer (slots and iteration count restored), <see cref="CompletedEpochs"/> set and the
    /// generator state restored, so <c>Fit(…, initialEpoch: model.CompletedEpochs)</c> continues the run as if it
    /// had not stopped. A model saved with <see cref="Generator"/> = <see langword="null"/> restores torch's
    /// default generator.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model (owns its optimizer).</returns>
    /// <exception cref="InvalidDataException">The file is truncated, not a HingeSharp model file, of a newer
    /// version, or inconsistent.</exception>
    public static Sequential Load(string path)
    {
        (JsonObject header, Dictionary<string, Tensor> tensors) = ModelFile.Read(path, "model");
        try
        {
            bool own = (string?)header["generator"] == "own";
            var model = new Sequential(own ? new Generator(0) : null);
            foreach (JsonNode? node in header["layers"]!.AsArray())
            {
                JsonObject layer = node!.AsObject();
                model.Add(Layer.FromConfig((string)layer["type"]!, (string?)layer["name"],
                    layer["config"]!.AsObject()));
            }

            model.Build(header["input_shape"]!.AsArray().Select(d => (long)d!).ToArray());
            model.LoadWeightTensors(tensors, path);
            if (header["compile"] is JsonObject compile)
            {
                KerasOptimizer optimizer = KerasOptimizer.FromConfig(compile["optimizer"]!.AsObject());
                model.SetCompiled(KerasLoss.Get((string)compile["loss"]!), optimizer, ownsOptimizer: true,
                    compile["metrics"]!.AsArray().Select(m => (object)(string)m!).ToList());
                var slots = tensors.Where(t => t.Key.StartsWith("optimizer/", StringComparison.Ordinal))
                    .OrderBy(t => SlotOrder(t.Key)).Select(t => t.Value).ToList();
                optimizer.Restore(model._parameters, (long)compile["iterations"]!, slots);
            }

            model.CompletedEpochs = (int)header["completed_epochs"]!;
            Tensor state = tensors["generator"];
            if (model.Generator is { } generator)
            {
                generator.set_state(state);
            }
            else
            {
                torch.random.set_rng_state(state);
            }

            return model;
        }
        catch (Exception e) when (e is KeyNotFoundException or NullReferenceException or InvalidOperationException
            or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"`{path}` is not a consistent HingeSharp model file: {e.Message}", e);
        }
        finally
        {
            foreach (Tensor t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Saves the weights only (Keras' <c>save_weights</c>), atomically, in the same file format.</summary>
    /// <param name="path">Target file (replaced).</param>
    /// <exception cref="InvalidOperationException">The model is not built.</exception>
    public void SaveWeights(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        EnsureBuilt();
        ModelFile.Write(path, Header("weights"), WeightTensors());
    }

    /// <summary>Loads weights saved by <see cref="SaveWeights"/> or <see cref="Save"/> into this built model
    /// (Keras' <c>load_weights</c>); names and shapes must match.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is truncated, foreign, or its weights do not fit.
    /// </exception>
    public void LoadWeights(string path)
    {
        EnsureBuilt();
        (_, Dictionary<string, Tensor> tensors) = ModelFile.Read(path, null);
        try
        {
            LoadWeightTensors(tensors, path);
        }
        finally
        {
            foreach (Tensor t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    private static (int, int) SlotOrder(string key)
    {
        string[] parts = key.Split('/');
        return (int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    private KerasMetric? TryMetric(string name)
    {
        try
        {
            return KerasMetric.Get(name, Loss!, 1);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private JsonObject Header(string kind) => new()
    {
        ["format"] = "hingesharp.keras.sequential",
        ["kind"] = kind,
        ["input_shape"] = new JsonArray(_inputShape!.Select(d => (JsonNode)d).ToArray()),
    };

    private List<(string Name, Tensor Tensor)> WeightTensors()
        => _module!.state_dict().Select(kv => ("weights/" + kv.Key, kv.Value)).ToList();

    private void LoadWeightTensors(Dictionary<string, Tensor> tensors, string path)
    {
        var state = _module!.state_dict();
        var saved = tensors.Where(t => t.Key.StartsWith("weights/", StringComparison.Ordinal))
            .ToDictionary(t => t.Key["weights/".Length..], t => t.Value);
        if (saved.Count != state.Count)
        {
            throw new InvalidDataException($"`{path}` holds {saved.Count} weight tensors; the model has "
                + $"{state.Count}.");
        }

        using var noGrad = torch.no_grad();
        foreach ((string name, Tensor target) in state)
        {
            if (!saved.TryGetValue(name, out Tensor? value) || !value.shape.SequenceEqual(target.shape))
            {
                throw new InvalidDataException($"`{path}` has no weight `{name}` of shape [{Shape(target.shape)}].");
            }

            target.copy_(value);
        }
    }

    /// <summary>The file layout: magic, version, JSON header, named tensors, end marker.</summary>
    private static class ModelFile
    {
        public static void Write(string path, JsonObject header, List<(string Name, Tensor Tensor)> tensors)
        {
            string full = Path.GetFullPath(path);
            string temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new BinaryWriter(stream, Encoding.UTF8))
                {
                    writer.Write(Encoding.ASCII.GetBytes(Magic));
                    writer.Write(FormatVersion);
                    header["tensor_count"] = tensors.Count;
                    writer.Write(header.ToJsonString());
                    foreach ((string name, Tensor tensor) in tensors)
                    {
                        using Tensor cpu = tensor.detach().cpu().contiguous();
                        writer.Write(name);
                        writer.Write((int)cpu.dtype);
                        writer.Write((int)cpu.dim());
                        foreach (long d in cpu.shape)
                        {
                            writer.Write(d);
                        }

                        ReadOnlySpan<byte> bytes = cpu.bytes;
                        writer.Write((long)bytes.Length);
                        writer.Write(bytes);
                    }

                    writer.Write(Encoding.ASCII.GetBytes(EndMarker));
                }

                File.Move(temp, full, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
        }

        public static (JsonObject Header, Dictionary<string, Tensor> Tensors) Read(string path, string? kind)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(path);
            var tensors = new Dictionary<string, Tensor>();
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
                using var reader = new BinaryReader(stream, Encoding.UTF8);
                byte[] magic = reader.ReadBytes(Magic.Length);
                if (Encoding.ASCII.GetString(magic) != Magic)
                {
                    throw new InvalidDataException($"`{path}` is not a HingeSharp model file (it does not start with "
                        + $"`{Magic}`).");
                }

                int version = reader.ReadInt32();
                if (version != FormatVersion)
                {
                    throw new InvalidDataException($"`{path}` has format version {version}; this HingeSharp reads "
                        + $"version {FormatVersion}.");
                }

                JsonObject header = JsonNode.Parse(reader.ReadString())!.AsObject();
                if (kind is not null && (string?)header["kind"] != kind)
                {
                    throw new InvalidDataException($"`{path}` holds `{header["kind"]}`, not a full model; use "
                        + "LoadWeights on a built model.");
                }

                int count = (int)header["tensor_count"]!;
                for (int i = 0; i < count; i++)
                {
                    string name = reader.ReadString();
                    var dtype = (ScalarType)reader.ReadInt32();
                    long[] shape = new long[reader.ReadInt32()];
                    for (int d = 0; d < shape.Length; d++)
                    {
                        shape[d] = reader.ReadInt64();
                    }

                    long length = reader.ReadInt64();
                    byte[] bytes = reader.ReadBytes(checked((int)length));
                    if (bytes.Length != length)
                    {
                        throw new EndOfStreamException();
                    }

                    Tensor t = torch.empty(shape, dtype).DetachFromDisposeScope();
                    tensors[name] = t;
                    t.bytes = bytes;
                }

                if (Encoding.ASCII.GetString(reader.ReadBytes(EndMarker.Length)) != EndMarker)
                {
                    throw new EndOfStreamException();
                }

                return (header, tensors);
            }
            catch (Exception e) when (e is EndOfStreamException or JsonException or FormatException
                or InvalidOperationException or NullReferenceException or OverflowException or ArgumentException)
            {
                foreach (Tensor t in tensors.Values)
                {
                    t.Dispose();
                }

                throw new InvalidDataException($"`{path}` is truncated or corrupt: it is not a complete HingeSharp "
                    + "model file.", e);
            }
        }
    }
}
