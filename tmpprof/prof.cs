#:project ../src/HingeSharp.Torch/HingeSharp.Torch.csproj
#:package libtorch-cpu-linux-x64
#:property Configuration=Release
using System.Diagnostics;
using HingeSharp.Torch.Tutorial;
using TorchSharp;
torch.set_num_threads(1);
var p = Process.GetCurrentProcess();
for (int k = 0; k < 4; k++) {
  var cpu0 = p.TotalProcessorTime; var sw = Stopwatch.StartNew();
  var r1 = SequentialHingeDemo.Run();
  p.Refresh(); var cpu1 = p.TotalProcessorTime;
  Console.WriteLine($"m1 fit {r1.Seconds:F3}s wall-total {sw.Elapsed.TotalSeconds:F3} cpu {(cpu1-cpu0).TotalSeconds:F3} test {r1.TestAccuracy:F3} train {r1.TrainAccuracy:F3}");
}
for (int k = 0; k < 2; k++) {
  var cpu0 = p.TotalProcessorTime; var sw = Stopwatch.StartNew();
  var r2 = EmbeddingHingeDemo.Run(new EmbeddingDemoOptions(NumWorkers: 1));
  p.Refresh(); var cpu1 = p.TotalProcessorTime;
  Console.WriteLine($"m2 loop {r2.Seconds:F3}s wall-total {sw.Elapsed.TotalSeconds:F3} cpu {(cpu1-cpu0).TotalSeconds:F3} final {r2.FinalLoss:F5}");
}
