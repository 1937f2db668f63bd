using System.Numerics;

namespace HingeSharp.Tests.Reliability;

public sealed partial class FuzzTests
{
    /// <summary>A fuzz run generic over the prediction and target element types (a delegate cannot be an open
    /// generic method, so the runs are small structs).</summary>
    private interface ITypedRun
    {
        void Run<TPred, TTarget>()
            where TPred : unmanaged, IFloatingPointIeee754<TPred>
            where TTarget : unmanaged, INumberBase<TTarget>;
    }

    /// <summary>Runs <paramref name="run"/> with float (when <paramref name="single"/>) or double predictions and
    /// the target type that a case's <c>TargetType</c> numbers: 0 byte, 1 int, 2 long, 3 float, otherwise
    /// double.</summary>
    private static void RunTyped<TRun>(TRun run, bool single, int targetType)
        where TRun : ITypedRun
    {
        if (single)
        {
            RunTyped<TRun, float>(run, targetType);
        }
        else
        {
            RunTyped<TRun, double>(run, targetType);
        }
    }

    private static void RunTyped<TRun, TPred>(TRun run, int targetType)
        where TRun : ITypedRun
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
    {
        switch (targetType)
        {
            case 0: run.Run<TPred, byte>(); break;
            case 1: run.Run<TPred, int>(); break;
            case 2: run.Run<TPred, long>(); break;
            case 3: run.Run<TPred, float>(); break;
            default: run.Run<TPred, double>(); break;
        }
    }

    /// <summary>A case's values converted to <typeparamref name="TPred"/> / <typeparamref name="TTarget"/>, and
    /// those converted values read back as doubles (what the reference sees).</summary>
    private static (TPred[] Preds, TTarget[] Target, double[] PredDoubles, double[] TargetDoubles)
        Typed<TPred, TTarget>(double[] preds, double[] target)
        where TPred : unmanaged, IFloatingPointIeee754<TPred>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        var typedPreds = preds.Select(TPred.CreateTruncating).ToArray();
        var typedTarget = target.Select(TTarget.CreateTruncating).ToArray();
        return (typedPreds, typedTarget, typedPreds.Select(double.CreateTruncating).ToArray(),
            typedTarget.Select(double.CreateTruncating).ToArray());
    }

    private readonly record struct BinaryRun(BinaryCase Case, Random Random, string Name) : ITypedRun
    {
        public void Run<TPred, TTarget>()
            where TPred : unmanaged, IFloatingPointIeee754<TPred>
            where TTarget : unmanaged, INumberBase<TTarget> => RunBinary<TPred, TTarget>(Case, Random, Name);
    }

    private readonly record struct MulticlassRun(MulticlassCase Case, Random Random, string Name) : ITypedRun
    {
        public void Run<TPred, TTarget>()
            where TPred : unmanaged, IFloatingPointIeee754<TPred>
            where TTarget : unmanaged, INumberBase<TTarget> => RunMulticlass<TPred, TTarget>(Case, Random, Name);
    }
}
