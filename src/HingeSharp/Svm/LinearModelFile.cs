using System.Globalization;
using System.Text.Json;

namespace HingeSharp.Svm;

/// <summary>
/// The saved form of a <see cref="LinearClassifier"/>: UTF-8 JSON
/// <c>{"format": "hingesharp.linear-model", "version": 1, "model": "LinearSvc"|"SgdSvm", "classes": [...],
/// "num_features": F, "coef": [[...] per decision column], "intercept": [...], "settings": {...}}</c>. Doubles are
/// written in shortest round-trip form, so a loaded model decides bit for bit as the saved one. Loading is strict:
/// anything else raises <see cref="LinearModelException"/> and returns nothing.
/// </summary>
internal static class LinearModelFile
{
    internal const string FormatName = "hingesharp.linear-model";
    internal const int FormatVersion = 1;

    internal static void Save(LinearClassifier model, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(model, stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    internal static void Write(LinearClassifier model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", FormatVersion);
        writer.WriteString("model", model.Kind);
        writer.WriteStartArray("classes");
        foreach (var c in model.ClassArray)
        {
            writer.WriteNumberValue(c);
        }

        writer.WriteEndArray();
        writer.WriteNumber("num_features", model.NumFeatures);
        writer.WriteStartArray("coef");
        for (var k = 0; k < model.DecisionColumns; k++)
        {
            writer.WriteStartArray();
            foreach (var v in model.CoefArray.AsSpan(k * model.NumFeatures, model.NumFeatures))
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("intercept");
        foreach (var v in model.InterceptArray)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("settings");
        model.WriteDetails(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    internal static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(name, ThrowHelper.Format(value));
        }
    }

    internal static LinearClassifier Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return Read(stream);
        }
        catch (LinearModelException e)
        {
            throw new LinearModelException($"{path}: {e.Message}", e.InnerException ?? e);
        }
    }

    internal static LinearClassifier Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            var reason = ex.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = cut >= 0 ? reason[..cut] : reason;
            throw new LinearModelException($"not valid JSON at line {(ex.LineNumber ?? 0) + 1}, column " +
                $"{(ex.BytePositionInLine ?? 0) + 1} (a truncated or damaged file?): {reason}", ex);
        }

        using (json)
        {
            return Read(json.RootElement);
        }
    }

    private static LinearClassifier Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) ||
            format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
        {
            throw Error($"not a HingeSharp linear model: expected `format` \"{FormatName}\".");
        }

        var version = Integer(root, "version");
        if (version != FormatVersion)
        {
            throw Error($"`version` is {version}, but this HingeSharp reads linear models of version {FormatVersion} " +
                "only (a file from a newer HingeSharp?).");
        }

        var kind = Field(root, "model", JsonValueKind.String).GetString();
        var settings = Field(root, "settings", JsonValueKind.Object);
        LinearClassifier model = kind switch
        {
            "LinearSvc" => ReadSvc(settings),
            "SgdSvm" => ReadSgd(settings),
            _ => throw Error($"`model` is \"{kind}\": expected \"LinearSvc\" or \"SgdSvm\"."),
        };

        var classes = Field(root, "classes", JsonValueKind.Array).EnumerateArray()
            .Select((e, i) => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v)
                ? v
                : throw Error($"`classes[{i}]` must be an integer.")).ToArray();
        if (classes.Length < 2 || classes.Zip(classes.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw Error("`classes` must hold at least two distinct labels in ascending order.");
        }

        var features = Integer(root, "num_features");
        if (features < 1 || features > int.MaxValue)
        {
            throw Error($"`num_features` must be at least 1, but got {features}.");
        }

        var intercept = Doubles(Field(root, "intercept", JsonValueKind.Array), "intercept");
        var expected = classes.Length == 2 && intercept.Length == 1 ? 1 : classes.Length;
        if (intercept.Length != expected)
        {
            throw Error($"`intercept` holds {intercept.Length} values, but a model of {classes.Length} classes has " +
                $"{expected} decision column(s).");
        }

        var coefRows = Field(root, "coef", JsonValueKind.Array);
        if (coefRows.GetArrayLength() != intercept.Length)
        {
            throw Error($"`coef` holds {coefRows.GetArrayLength()} rows, but `intercept` holds {intercept.Length}.");
        }

        var coef = new double[intercept.Length * features];
        var r = 0;
        foreach (var row in coefRows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != features)
            {
                throw Error($"`coef[{r}]` must be an array of {features} numbers.");
            }

            Doubles(row, $"coef[{r}]").CopyTo(coef.AsSpan(r * (int)features));
            r++;
        }

        if (coef.Any(v => !double.IsFinite(v)) || intercept.Any(v => !double.IsFinite(v)))
        {
            throw Error("`coef` and `intercept` must hold finite numbers only.");
        }

        model.SetModel(classes, (int)features, coef, intercept);
        (model as SgdSvm)?.RestoreWorkingWeights();
        return model;
    }

    private static LinearSvc ReadSvc(JsonElement s)
    {
        var svc = new LinearSvc(
            c: Number(s, "c"),
            loss: Field(s, "loss", JsonValueKind.String).GetString() switch
            {
                "hinge" => SvmLoss.Hinge,
                "squared_hinge" => SvmLoss.SquaredHinge,
                var other => throw Error($"`settings.loss` is \"{other}\": expected \"hinge\" or \"squared_hinge\"."),
            },
            multiClass: Field(s, "multi_class", JsonValueKind.String).GetString() switch
            {
                "ovr" => SvmMultiClass.OneVsRest,
                "crammer_singer" => SvmMultiClass.CrammerSinger,
                var other => throw Error($"`settings.multi_class` is \"{other}\": expected \"ovr\" or " +
                    "\"crammer_singer\"."),
            },
            tol: Number(s, "tol"),
            maxIter: (int)Integer(s, "max_iter"),
            fitIntercept: Bool(s, "fit_intercept"),
            interceptScaling: Number(s, "intercept_scaling"),
            seed: (int)Integer(s, "seed"));
        svc.SetFitRecord((int)Integer(s, "iterations"), Bool(s, "converged"), Number(s, "primal_objective"),
            Number(s, "dual_objective"));
        return svc;
    }

    private static SgdSvm ReadSgd(JsonElement s)
    {
        var sgd = new SgdSvm(
            alpha: Number(s, "alpha"),
            learningRate: Field(s, "learning_rate", JsonValueKind.String).GetString() switch
            {
                "optimal" => SgdLearningRate.Optimal,
                "invscaling" => SgdLearningRate.InvScaling,
                var other => throw Error($"`settings.learning_rate` is \"{other}\": expected \"optimal\" or " +
                    "\"invscaling\"."),
            },
            eta0: Number(s, "eta0"),
            powerT: Number(s, "power_t"),
            fitIntercept: Bool(s, "fit_intercept"),
            maxIter: (int)Integer(s, "max_iter"),
            tol: Number(s, "tol"),
            nIterNoChange: (int)Integer(s, "n_iter_no_change"),
            shuffle: Bool(s, "shuffle"),
            seed: (int)Integer(s, "seed"));
        sgd.SetStep(Number(s, "t"), (int)Integer(s, "epochs"));
        return sgd;
    }

    private static JsonElement Field(JsonElement obj, string name, JsonValueKind kind)
    {
        if (!obj.TryGetProperty(name, out var e))
        {
            throw Error($"field `{name}` is missing.");
        }

        return e.ValueKind == kind ? e : throw Error($"`{name}` must be {kind.ToString().ToLowerInvariant()}, " +
            $"but got {e.ValueKind.ToString().ToLowerInvariant()}.");
    }

    private static long Integer(JsonElement obj, string name)
    {
        var e = Field(obj, name, JsonValueKind.Number);
        return e.TryGetInt64(out var v) ? v : throw Error($"`{name}` must be an integer, but got {e.GetRawText()}.");
    }

    private static bool Bool(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? e.GetBoolean()
            : throw Error($"`{name}` must be true or false.");

    private static double Number(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var e) ? Value(e, name) : throw Error($"field `{name}` is missing.");

    private static double[] Doubles(JsonElement array, string name) =>
        array.EnumerateArray().Select((e, i) => Value(e, $"{name}[{i}]")).ToArray();

    private static double Value(JsonElement e, string name) => e.ValueKind switch
    {
        JsonValueKind.Number => double.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.String when e.GetString() == "NaN" => double.NaN,
        JsonValueKind.String when e.GetString() == "Infinity" => double.PositiveInfinity,
        JsonValueKind.String when e.GetString() == "-Infinity" => double.NegativeInfinity,
        _ => throw Error($"`{name}` must be a number, but got {e.GetRawText()}."),
    };

    private static LinearModelException Error(string message) => new(message);
}
