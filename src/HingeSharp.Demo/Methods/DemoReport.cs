using System.Text.Json;
using HingeSharp.Cli;
using HingeSharp.Cli.Output;
using Spectre.Console;

namespace HingeSharp.Demo.Methods;

/// <summary>
/// What a <c>hinge demo</c> run produces: text lines (unless JSON was asked for), JSON sections in the order they
/// ran, and plot files that are only written once every section has succeeded.
/// </summary>
internal sealed class DemoReport(CliEnvironment env, bool json)
{
    private readonly List<(string Name, Action<Utf8JsonWriter> Write)> _sections = [];
    private readonly List<(string FileName, byte[] Bytes)> _files = [];

    /// <summary>True when the run prints one JSON object instead of text.</summary>
    public bool Json => json;

    /// <summary>Prints a line of the tutorial's output (text mode only).</summary>
    public void Line(string text = "")
    {
        if (!json)
        {
            env.Out.WriteLine(text);
        }
    }

    /// <summary>Prints a section title: a rule on a terminal, a plain line otherwise (text mode only).</summary>
    public void Title(string text)
    {
        if (json)
        {
            return;
        }

        if (env.OutIsTerminal)
        {
            env.OutConsole().Write(new Rule(Markup.Escape(text)).LeftJustified());
        }
        else
        {
            env.Out.WriteLine($"== {text} ==");
        }
    }

    /// <summary>Adds a JSON section (written in the order added).</summary>
    public void Section(string name, Action<Utf8JsonWriter> write) => _sections.Add((name, write));

    /// <summary>Queues a file for the output folder.</summary>
    public void File(string fileName, byte[] bytes) => _files.Add((fileName, bytes));

    /// <summary>Writes the queued files into <paramref name="folder"/> and prints the JSON object or the list of
    /// files.</summary>
    /// <exception cref="CliInputException">The folder cannot be created or written.</exception>
    public void Finish(string folder)
    {
        var written = _files.Count == 0 ? [] : OutputFiles.WriteAll(folder, _files);
        if (!json)
        {
            foreach (var path in written)
            {
                env.Out.WriteLine($"wrote {path}");
            }

            return;
        }

        env.Out.WriteLine(Formats.Json(w =>
        {
            w.WriteStartObject();
            foreach (var (name, write) in _sections)
            {
                w.WritePropertyName(name);
                write(w);
            }

            w.WriteStartArray("plots");
            foreach (var path in written)
            {
                w.WriteStringValue(path);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }
}
