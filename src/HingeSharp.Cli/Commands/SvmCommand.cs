using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using HingeSharp.Cli.Output;
using HingeSharp.Cli.Svm;
using HingeSharp.Svm;

namespace HingeSharp.Cli.Commands;

/// <summary>
/// <c>hinge svm fit</c>: trains a <see cref="LinearSvc"/> on a feature file and a label file and reports train/test
/// accuracy, the primal objective, the iterations and the fit time; <c>hinge svm predict</c>: applies a saved model.
/// Every input is read and checked before fitting, and the model and prediction files are written atomically, so a
/// failed run leaves no half result.
/// </summary>
internal static class SvmCommand
{
    public static Command Create(CliEnvironment env) =>
        new("svm", "Linear SVMs (LIBLINEAR's solvers, as scikit-learn's LinearSVC): fit and predict on .npy/.csv files.")
        {
            Fit(env), Predict(env),
        };

    private static Option<string> Format() => new Option<string>("--format")
    {
        Description = "text (plain lines) or json (one object).",
        DefaultValueFactory = _ => "text",
    }.AcceptOnlyFromAmong("text", "json");

    private static Command Fit(CliEnvironment env)
    {
        var x = new Option<string>("--x") { Description = "Training features: .npy float32/float64 (rows, features) or .csv.", Required = true };
        var y = new Option<string>("--y") { Description = "Training labels (any integers): .npy or one-column .csv.", Required = true };
        var c = new Option<double>("--c") { Description = "Regularisation C (> 0).", DefaultValueFactory = _ => 1.0 };
        var loss = new Option<string>("--loss") { Description = "hinge or squared-hinge.", DefaultValueFactory = _ => "squared-hinge" }
            .AcceptOnlyFromAmong("hinge", "squared-hinge");
        var multiClass = new Option<string>("--multi-class") { Description = "ovr or crammer-singer.", DefaultValueFactory = _ => "ovr" }
            .AcceptOnlyFromAmong("ovr", "crammer-singer");
        var classWeight = new Option<string?>("--class-weight") { Description = "balanced: weight C by n / (classes · count)." }
            .AcceptOnlyFromAmong("balanced");
        var tol = new Option<double>("--tol") { Description = "Stopping tolerance (> 0).", DefaultValueFactory = _ => 1e-4 };
        var maxIter = new Option<int>("--max-iter") { Description = "Most outer iterations per problem.", DefaultValueFactory = _ => 1000 };
        var scaling = new Option<double>("--intercept-scaling") { Description = "Value of the intercept's extra feature (> 0).", DefaultValueFactory = _ => 1.0 };
        var noIntercept = new Option<bool>("--no-intercept") { Description = "Fit without an intercept." };
        var seed = new Option<int>("--seed") { Description = "Seed of the coordinate order.", DefaultValueFactory = _ => 0 };
        var model = new Option<string?>("--model") { Description = "Save the fitted model here (versioned JSON, written atomically)." };
        var testX = new Option<string?>("--test-x") { Description = "Test features (same columns as --x)." };
        var testY = new Option<string?>("--test-y") { Description = "Test labels." };
        var format = Format();
        var command = new Command("fit", "Fit a linear SVM; print train/test accuracy, primal objective, iterations and " +
            "seconds (the fit alone, after a warm-up fit on 12 synthetic rows has compiled the solver).")
        {
            x, y, c, loss, multiClass, classWeight, tol, maxIter, scaling, noIntercept, seed, model, testX, testY, format,
        };
        command.SetAction(r =>
        {
            var svc = Build(() => new LinearSvc(r.GetValue(c), r.GetValue(loss) == "hinge" ? SvmLoss.Hinge : SvmLoss.SquaredHinge,
                r.GetValue(multiClass) == "ovr" ? SvmMultiClass.OneVsRest : SvmMultiClass.CrammerSinger, r.GetValue(tol),
                r.GetValue(maxIter), !r.GetValue(noIntercept), r.GetValue(scaling),
                r.GetValue(classWeight) is null ? null : SvmClassWeight.Balanced, r.GetValue(seed)));
            var (xPath, yPath) = (r.GetValue(x)!, r.GetValue(y)!);
            var train = SvmFiles.ReadFeatures(xPath, "--x");
            var labels = SameRows(SvmFiles.ReadLabels(yPath, "--y"), yPath, train, xPath);
            FeatureMatrix? test = null;
            long[]? testLabels = null;
            if (r.GetValue(testX) is { } tx)
            {
                var ty = r.GetValue(testY) ?? throw new CliInputException("--test-x needs --test-y (the test labels).");
                test = SvmFiles.ReadFeatures(tx, "--test-x");
                if (test.Columns != train.Columns)
                {
                    throw CliInputException.InFile(tx, null,
                        $"has {test.Columns} features per row, but --x ({xPath}) has {train.Columns}.");
                }

                testLabels = SameRows(SvmFiles.ReadLabels(ty, "--test-y"), ty, test, tx);
            }
            else if (r.GetValue(testY) is not null)
            {
                throw new CliInputException("--test-y needs --test-x (the test features).");
            }

            WarmUp(svc, train);
            var clock = Stopwatch.StartNew();
            if (train.Single is { } f)
            {
                svc.Fit(f, train.Columns, labels.AsSpan());
            }
            else
            {
                svc.Fit(train.Double!, train.Columns, labels.AsSpan());
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var trainAccuracy = Score(svc, train, labels);
            var testAccuracy = test is null ? double.NaN : Score(svc, test, testLabels!);
            if (r.GetValue(model) is { } modelPath)
            {
                svc.Save(modelPath);
            }

            if (r.GetValue(format) == "json")
            {
                WriteJson(env, w =>
                {
                    w.WriteNumber("trainAccuracy", trainAccuracy);
                    w.WritePropertyName("testAccuracy");
                    w.WriteNumber(testAccuracy);
                    w.WriteNumber("objective", svc.PrimalObjective);
                    w.WriteNumber("iterations", svc.Iterations);
                    w.WriteNumber("seconds", seconds);
                    w.WriteBoolean("converged", svc.Converged);
                });
            }
            else
            {
                env.Out.WriteLine($"train accuracy: {Formats.Number(trainAccuracy)}");
                env.Out.WriteLine($"test accuracy: {(test is null ? "-" : Formats.Number(testAccuracy))}");
                env.Out.WriteLine($"objective: {Formats.Number(svc.PrimalObjective)}");
                env.Out.WriteLine($"dual objective: {Formats.Number(svc.DualObjective)}");
                env.Out.WriteLine($"iterations: {svc.Iterations}");
                env.Out.WriteLine($"converged: {(svc.Converged ? "yes" : "no (raise --max-iter)")}");
                env.Out.WriteLine($"seconds: {Formats.Number(seconds)}");
            }

            return HingeCli.Success;
        });
        return command;
    }

    private static Command Predict(CliEnvironment env)
    {
        var model = new Option<string>("--model") { Description = "A model saved by 'hinge svm fit --model'.", Required = true };
        var x = new Option<string>("--x") { Description = "Features: .npy float32/float64 (rows, features) or .csv.", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the predicted labels here as int64 .npy (atomically)." };
        var format = Format();
        var command = new Command("predict", "Predict labels with a saved linear model.") { model, x, output, format };
        command.SetAction(r =>
        {
            var modelPath = r.GetValue(model)!;
            if (!File.Exists(modelPath))
            {
                throw CliInputException.InFile(modelPath, null, "no such file (--model).");
            }

            LinearClassifier classifier;
            try
            {
                classifier = LinearClassifier.Load(modelPath);
            }
            catch (LinearModelException e)
            {
                throw new CliInputException(e.Message, e);
            }

            var xPath = r.GetValue(x)!;
            var features = SvmFiles.ReadFeatures(xPath, "--x");
            if (features.Columns != classifier.NumFeatures)
            {
                throw CliInputException.InFile(xPath, null,
                    $"has {features.Columns} features per row, but the model ({modelPath}) was fitted on {classifier.NumFeatures}.");
            }

            var predicted = features.Single is { } f ? classifier.Predict(f) : classifier.Predict(features.Double!);
            if (r.GetValue(output) is { } outPath)
            {
                SvmFiles.WriteLabels(outPath, predicted);
            }

            if (r.GetValue(format) == "json")
            {
                WriteJson(env, w =>
                {
                    w.WriteNumber("count", predicted.Length);
                    if (r.GetValue(output) is { } o)
                    {
                        w.WriteString("out", o);
                    }
                    else
                    {
                        w.WriteStartArray("predictions");
                        foreach (var p in predicted)
                        {
                            w.WriteNumberValue(p);
                        }

                        w.WriteEndArray();
                    }
                });
            }
            else if (r.GetValue(output) is { } o)
            {
                env.Out.WriteLine($"wrote {predicted.Length} labels to {o}");
            }
            else
            {
                foreach (var p in predicted)
                {
                    env.Out.WriteLine(Formats.Integer(p));
                }
            }

            return HingeCli.Success;
        });
        return command;
    }

    private static LinearSvc Build(Func<LinearSvc> create)
    {
        try
        {
            return create();
        }
        catch (HingeArgumentException e)
        {
            var option = e.ParamName switch
            {
                "c" => "--c",
                "tol" => "--tol",
                "maxIter" => "--max-iter",
                "interceptScaling" => "--intercept-scaling",
                _ => e.ParamName,
            };
            throw new CliInputException($"{option}: {e.Reason}", e);
        }
    }

    /// <summary>Fits the same settings once on 12 synthetic rows, so that the timed fit measures the solver and not
    /// its one-time JIT compilation (scikit-learn's solver is compiled ahead of time).</summary>
    private static void WarmUp(LinearSvc svc, FeatureMatrix like)
    {
        var warm = new LinearSvc(svc.C, svc.Loss, svc.MultiClass, svc.Tol, 3, svc.FitIntercept, svc.InterceptScaling,
            svc.ClassWeight, svc.Seed);
        var rows = 12;
        var values = new double[rows * like.Columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i * 0.618034 % 1.0) - 0.5;
        }

        var labels = Enumerable.Range(0, rows).Select(i => (long)(i % 3)).ToArray();
        if (like.Single is not null)
        {
            warm.Fit(values.Select(v => (float)v).ToArray(), like.Columns, labels.AsSpan());
        }
        else
        {
            warm.Fit(values, like.Columns, labels.AsSpan());
        }
    }

    private static long[] SameRows(long[] labels, string labelPath, FeatureMatrix features, string featurePath) =>
        labels.Length == features.Rows
            ? labels
            : throw CliInputException.InFile(labelPath, null,
                $"holds {labels.Length} labels, but {featurePath} has {features.Rows} rows.");

    private static double Score(LinearClassifier model, FeatureMatrix m, long[] labels) =>
        m.Single is { } f ? model.Score(f, labels.AsSpan()) : model.Score(m.Double!, labels.AsSpan());

    private static void WriteJson(CliEnvironment env, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        env.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
