using System.Globalization;
using System.Text;
using HingeSharp.Metrics;

namespace HingeSharp.Reports;

/// <summary>Exporting and merging the state of <see cref="MarginReport"/> as bytes (<see cref="IMergeableMetric"/>).</summary>
public sealed partial class MarginReport : IMergeableMetric
{
    /// <inheritdoc/>
    public string StateKey => string.Create(CultureInfo.InvariantCulture,
        $"MarginReport(task = {(IsMulticlass ? "multiclass" : "binary")}, classes = {NumClasses}, " +
        $"input_kind = {InputKind}, ignore_index = {IgnoreIndex?.ToString(CultureInfo.InvariantCulture) ?? "null"}, " +
        $"binning = {Binning})");

    /// <inheritdoc/>
    public byte[] ExportState()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(StateKey);
            writer.Write(UpdateCount);
            _overall.Write(writer);
            foreach (var group in _perClass)
            {
                group.Write(writer);
            }

            writer.Write(_pairs.Count);
            foreach (var ((trueClass, rival), stats) in _pairs.OrderBy(p => p.Key))
            {
                writer.Write(trueClass);
                writer.Write(rival);
                writer.Write(stats.Misclassified);
                writer.Write(stats.Inside);
                writer.Write(stats.WeightSum);
                writer.Write(stats.HingeSum);
            }

            // Added after the pairs so that states exported before it read as exponent 0.
            writer.Write(_weightExponent);
        }

        return stream.ToArray();
    }

    /// <inheritdoc/>
    public void MergeState(ReadOnlySpan<byte> state)
    {
        var other = new MarginReport(IsMulticlass, NumClasses, InputKind, IgnoreIndex, ValidateArgs, Binning);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(state.ToArray(), writable: false), Encoding.UTF8);
            var key = reader.ReadString();
            if (key != StateKey)
            {
                throw new MetricStateException(
                    $"cannot merge a state of {key} into {StateKey}: the settings differ.", "metric");
            }

            other.RestoreUpdateCount(reader.ReadInt64());
            other._overall.Read(reader);
            foreach (var group in other._perClass)
            {
                group.Read(reader);
            }

            var pairs = reader.ReadInt32();
            for (var i = 0; i < pairs; i++)
            {
                var key2 = (reader.ReadInt32(), reader.ReadInt32());
                other._pairs[key2] = new PairStats(reader.ReadInt64(), reader.ReadInt64(), reader.ReadDouble(),
                    reader.ReadDouble());
            }

            if (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                var exponent = reader.ReadInt32();
                if (!Statistics.WeightScale.IsValid(exponent))
                {
                    throw new InvalidDataException($"the weight exponent {exponent} is not one a weight can have.");
                }

                other._weightExponent = exponent;
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or IOException)
        {
            throw new MetricStateException($"the bytes are not an exported {StateKey}: {ex.Message}", "state");
        }

        Merge(other);
    }
}
