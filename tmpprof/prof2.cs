#:project ../src/HingeSharp.Torch/HingeSharp.Torch.csproj
#:property PublishAot=false
#:property EnableTrimAnalyzer=false
#:property TreatWarningsAsErrors=false
#:package libtorch-cpu-linux-x64
#:property Configuration=Release
using System.Diagnostics;
using HingeSharp.Torch.Datasets;
using HingeSharp.Torch.Keras;
using TorchSharp;
using static TorchSharp.torch;
torch.set_num_threads(1);
var p = Process.GetCurrentProcess();
var data = MakeCircles.Generate(1000, noise: 0.1, randomState: 1);
var (trainX, trainY) = data.Slice(0, 500).ToTensors(signedLabels: true);
var (testX, testY) = data.Slice(500, 500).ToTensors(signedLabels: true);
void T(string name, Action a) { p.Refresh(); var c0 = p.TotalProcessorTime; var sw = Stopwatch.StartNew(); a(); p.Refresh(); Console.WriteLine($"{name}: wall {sw.Elapsed.TotalMilliseconds:F1} ms cpu {(p.TotalProcessorTime - c0).TotalMilliseconds:F1} ms gen0 {GC.CollectionCount(0)}"); }
var en = typeof(Sequential).Assembly.GetType("HingeSharp.Torch.Keras.Fused.FusedTrainer")!.GetProperty("Enabled", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
for (int k = 0; k < 4; k++) {
  en.SetValue(null, k % 2 == 0); Console.WriteLine($"fused={k % 2 == 0}");
  using var model = new Sequential(new Generator(1));
  model.Add(new Dense(50, inputDim: 2, activation: "relu", kernelInitializer: "he_uniform"));
  model.Add(new Dense(1, activation: "tanh"));
  using var opt = new HingeSharp.Torch.Keras.SGD(0.01, momentum: 0.9);
  model.Compile("hinge", opt, "accuracy");
  T("fit200 noval", () => model.Fit(trainX, trainY, epochs: 200, verbose: 0));
  T("fit200 val", () => model.Fit(trainX, trainY, epochs: 200, verbose: 0, validationData: (testX, testY)));
  T("fit200 noshuffle", () => model.Fit(trainX, trainY, epochs: 200, verbose: 0, shuffle: false));
  T("eval x200", () => { for (int i = 0; i < 200; i++) model.Evaluate(testX, testY); });
  T("randperm x200", () => { for (int i = 0; i < 200; i++) torch.randperm(500).Dispose(); });
}
