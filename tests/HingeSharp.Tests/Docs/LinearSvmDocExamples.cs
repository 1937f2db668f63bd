using HingeSharp.Classification;
using HingeSharp.Reports;
using HingeSharp.Svm;

namespace HingeSharp.Tests.Docs;

/// <summary>The C# example of docs/linear-svm.md, verbatim between the snippet markers.</summary>
internal static class LinearSvmDocExamples
{
    public static double[] FitAndScore()
    {
        // snippet: linear-svm
        // Eight points in two features, labels any integers; row-major float32 (float64 works the same).
        float[] x = [2f, 1f, 1.5f, 2f, 0.5f, 1.5f, -0.2f, 0.3f, -1f, -2f, -2f, -0.5f, 0.5f, -1f, 0.3f, 0.2f];
        int[] y = [7, 7, 7, 7, 3, 3, 3, 3];
        var svc = new LinearSvc(c: 1.0, loss: SvmLoss.Hinge).Fit(x, columns: 2, y);
        long[] labels = svc.Predict(x);                 // [7, 7, 7, 7, 3, 3, 3, 7]
        double[] margins = svc.DecisionFunction(x);     // raw w·x + b, positive class = Classes[1] = 7

        // The decision values are margins: score them with the hinge metrics and the margin report.
        int[] target = y.Select(v => v == 7 ? 1 : 0).ToArray();
        var hinge = new BinaryHingeLoss(inputKind: HingeInputKind.Margins);
        hinge.Update<double, int>(margins, target);
        double loss = hinge.Compute();                  // => 0.25
        var report = MarginReport.Binary(HingeInputKind.Margins);
        report.Update<double, int>(margins, target);
        double inside = report.Compute().Overall.InsideMarginShare; // => 0.375
        double objective = svc.PrimalObjective;         // => 2.4168
        // end snippet
        return [loss, inside, objective, labels.SequenceEqual([7L, 7, 7, 7, 3, 3, 3, 7]) ? 1 : 0];
    }
}
