namespace HingeSharp.Svm;

/// <summary>The weights and fit record of a <see cref="LinearSvc"/> run.</summary>
internal sealed record SvmFit(double[] Coef, double[] Intercept, int[] Iterations, bool Converged, double Primal,
    double Dual);

/// <summary>Sets up LIBLINEAR's problems (one-vs-rest binaries, or Crammer–Singer) and collects their solutions.</summary>
internal static class SvmProblems
{
    /// <summary>Two classes: one problem, positive = <c>classes[1]</c>, Cp = C·w₁, Cn = C·w₀. More: one problem per
    /// class k (positive = k, Cp = C·w_k, Cn = C), solved in parallel, each with its own seed.</summary>
    internal static SvmFit OneVsRest<T>(LinearSvc svc, ReadOnlyMemory<T> x, int columns, double[] norms,
        int[] classIndex, int k, double[] classC, double bias)
        where T : unmanaged
    {
        var problems = k == 2 ? 1 : k;
        var stride = columns + 1;
        var weights = new double[problems * stride];
        var fits = new BinaryFit[problems];
        var hinge = svc.Loss == SvmLoss.Hinge;
        Parallel.For(0, problems, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, p =>
        {
            var positive = problems == 1 ? 1 : p;
            var y = new sbyte[classIndex.Length];
            for (var i = 0; i < y.Length; i++)
            {
                y[i] = classIndex[i] == positive ? (sbyte)1 : (sbyte)-1;
            }

            var cp = classC[positive];
            var cn = problems == 1 ? classC[0] : svc.C;
            fits[p] = DualCoordinateDescent.Solve(x.Span, columns, norms, y, cp, cn, hinge, bias, svc.Tol,
                svc.MaxIter, SplitMix64.Derive(svc.Seed, p), weights.AsSpan(p * stride, stride));
        });

        var (coef, intercept) = Split(weights, problems, columns, bias);
        return new SvmFit(coef, intercept, fits.Select(f => f.Iterations).ToArray(), fits.All(f => f.Converged),
            fits.Sum(f => f.Primal), fits.Sum(f => f.Dual));
    }

    /// <summary>One joint Crammer–Singer problem over all classes (for two classes too: two weight rows, as scikit-learn keeps them).</summary>
    internal static SvmFit CrammerSinger<T>(LinearSvc svc, ReadOnlyMemory<T> x, int columns, double[] norms,
        int[] classIndex, double[] classC, double bias)
        where T : unmanaged
    {
        var k = classC.Length;
        var stride = columns + 1;
        var weights = new double[k * stride];
        var (iterations, converged, dual) = CrammerSingerSolver.Solve(x.Span, columns, norms, classIndex, k, classC,
            bias, svc.Tol, svc.MaxIter, SplitMix64.Derive(svc.Seed, 0), weights);
        var primal = SvmObjective.CrammerSingerPrimal(x.Span, columns, classIndex, weights, k, bias, classC);
        var (coef, intercept) = Split(weights, k, columns, bias);
        return new SvmFit(coef, intercept, [iterations], converged, primal, dual);
    }

    private static (double[] Coef, double[] Intercept) Split(double[] weights, int rows, int columns, double bias)
    {
        var stride = columns + 1;
        var coef = new double[rows * columns];
        var intercept = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            weights.AsSpan(r * stride, columns).CopyTo(coef.AsSpan(r * columns, columns));
            intercept[r] = bias * weights[r * stride + columns];
        }

        return (coef, intercept);
    }
}
