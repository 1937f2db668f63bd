// The MSBuild task of HingeSharp.Torch's buildTransitive/HingeSharp.Torch.targets. It marks the GLIBCXX_3.4.32
// version requirement of libLibTorchSharp.so as weak (VER_FLG_WEAK) in output copies, where the system
// libstdc++.so.6 does not define that version. See the comment in the .targets file. Packages carry it compiled
// (HingeSharp.Torch.Build.dll); builds inside the repository compile this file with RoslynCodeTaskFactory.
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace HingeSharp.Torch.Build
{
/// <summary>Sets the weak flag on libLibTorchSharp.so's GLIBCXX_3.4.32 requirement in output copies.</summary>
public sealed class PatchTorchSharpNative : Task
{
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const ushort VerFlgWeak = 0x2;
    private static readonly string[] GenericLibraryFolders = { "/usr/lib64", "/lib64", "/usr/lib", "/lib" };

    /// <summary>The output copies of libLibTorchSharp.so (missing files are skipped).</summary>
    [Required]
    public ITaskItem[] Files { get; set; }

    /// <summary>auto (patch only where the system libstdc++ lacks the version), always, never.</summary>
    public string Mode { get; set; }

    /// <summary>Patches the files where needed; false (with an error logged) when a file cannot be patched.</summary>
    public override bool Execute()
    {
        string mode = string.IsNullOrWhiteSpace(Mode) ? "auto" : Mode.Trim().ToLowerInvariant();
        if (mode == "never" || mode == "false")
        {
            return true;
        }

        if (mode != "auto" && mode != "always" && mode != "true")
        {
            Log.LogError("HingeSharpTorchSharpNativeFix: expected 'auto', 'always' or 'never', but got '{0}'.", Mode);
            return false;
        }

        if (mode == "auto")
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return true;
            }

            string libstdcxx = FindSystemLibStdCxx();
            if (libstdcxx == null)
            {
                Log.LogMessage(MessageImportance.Low,
                    "TorchSharp native fix: no system libstdc++.so.6 found; libLibTorchSharp.so left as it is.");
                return true;
            }

            try
            {
                if (Elf.DefinedVersions(libstdcxx).Contains(MissingVersion))
                {
                    Log.LogMessage(MessageImportance.Low,
                        "TorchSharp native fix: {0} defines {1}; nothing to do.", libstdcxx, MissingVersion);
                    return true;
                }
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogMessage(MessageImportance.Low,
                    "TorchSharp native fix: cannot read {0} ({1}); libLibTorchSharp.so left as it is.",
                    libstdcxx, e.Message);
                return true;
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (ITaskItem item in Files)
        {
            string path = Path.GetFullPath(item.ItemSpec);
            if (!seen.Add(path) || !File.Exists(path))
            {
                continue;
            }

            try
            {
                PatchFile(path);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError("TorchSharp native fix: cannot patch {0}: {1}", path, e.Message);
            }
        }

        return !Log.HasLoggedErrors;
    }

    private void PatchFile(string path)
    {
        long flagsOffset;
        ushort flags;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            if (!Elf.TryFindVernauxFlags(stream, MissingVersion, out flagsOffset, out flags))
            {
                Log.LogMessage(MessageImportance.Low,
                    "TorchSharp native fix: {0} does not require {1}; nothing to do.", path, MissingVersion);
                return;
            }
        }

        if ((flags & VerFlgWeak) != 0)
        {
            Log.LogMessage(MessageImportance.Low,
                "TorchSharp native fix: {0} already marks {1} weak.", path, MissingVersion);
            return;
        }

        // Write a new file and rename it over the old one: the output copy may be a hard link into the NuGet cache.
        string temp = path + ".hingesharp-" + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            DateTime lastWrite = File.GetLastWriteTimeUtc(path);
            File.Copy(path, temp, overwrite: true);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                ushort value = (ushort)(flags | VerFlgWeak);
                stream.Position = flagsOffset;
                stream.WriteByte((byte)(value & 0xFF));
                stream.WriteByte((byte)(value >> 8));
            }

            // Same timestamp as the file it replaces: the SDK's incremental copy then skips it and it stays patched.
            File.SetLastWriteTimeUtc(temp, lastWrite);
            File.Replace(temp, path, null);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        Log.LogMessage(MessageImportance.High,
            "TorchSharp native fix: marked {0} weak in {1} (system libstdc++ lacks it).", MissingVersion, path);
    }

    private static string FindSystemLibStdCxx()
    {
        string triple;
        switch (RuntimeInformation.OSArchitecture)
        {
            case Architecture.X64: triple = "x86_64-linux-gnu"; break;
            case Architecture.Arm64: triple = "aarch64-linux-gnu"; break;
            default: triple = null; break;
        }

        var dirs = new List<string>();
        if (triple != null)
        {
            dirs.Add("/usr/lib/" + triple);
            dirs.Add("/lib/" + triple);
        }

        dirs.AddRange(GenericLibraryFolders);
        foreach (string dir in dirs)
        {
            string candidate = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Minimal ELF64 little-endian reader: section headers, version needs and version definitions.</summary>
    private static class Elf
    {
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        private struct Section
        {
            public uint Type;
            public long Offset;
            public long Size;
            public uint Link;
            public uint Info;
        }

        /// <summary>Finds the Vernaux entry named <paramref name="version"/>; returns the file offset of vna_flags.</summary>
        public static bool TryFindVernauxFlags(Stream stream, string version, out long flagsOffset, out ushort flags)
        {
            flagsOffset = 0;
            flags = 0;
            Section[] sections = ReadSections(stream);
            foreach (Section section in sections)
            {
                if (section.Type != ShtGnuVerneed)
                {
                    continue;
                }

                byte[] strings = ReadSection(stream, LinkedSection(sections, section));
                byte[] data = ReadSection(stream, section);
                long vn = 0;
                for (uint i = 0; i < section.Info; i++)
                {
                    Require(vn + 16 <= data.Length, "Verneed entry outside .gnu.version_r");
                    ushort count = U16(data, vn + 2);
                    long aux = vn + U32(data, vn + 8);
                    for (ushort j = 0; j < count; j++)
                    {
                        Require(aux + 16 <= data.Length, "Vernaux entry outside .gnu.version_r");
                        if (Name(strings, U32(data, aux + 8)) == version)
                        {
                            flagsOffset = section.Offset + aux + 4;
                            flags = U16(data, aux + 4);
                            return true;
                        }

                        aux += U32(data, aux + 12);
                    }

                    uint next = U32(data, vn + 12);
                    if (next == 0)
                    {
                        break;
                    }

                    vn += next;
                }
            }

            return false;
        }

        /// <summary>The version names a shared library defines (.gnu.version_d).</summary>
        public static HashSet<string> DefinedVersions(string path)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                Section[] sections = ReadSections(stream);
                foreach (Section section in sections)
                {
                    if (section.Type != ShtGnuVerdef)
                    {
                        continue;
                    }

                    byte[] strings = ReadSection(stream, LinkedSection(sections, section));
                    byte[] data = ReadSection(stream, section);
                    long vd = 0;
                    for (uint i = 0; i < section.Info; i++)
                    {
                        Require(vd + 20 <= data.Length, "Verdef entry outside .gnu.version_d");
                        ushort count = U16(data, vd + 6);
                        long aux = vd + U32(data, vd + 12);
                        if (count > 0)
                        {
                            Require(aux + 8 <= data.Length, "Verdaux entry outside .gnu.version_d");
                            names.Add(Name(strings, U32(data, aux)));
                        }

                        uint next = U32(data, vd + 16);
                        if (next == 0)
                        {
                            break;
                        }

                        vd += next;
                    }
                }
            }

            return names;
        }

        private static Section[] ReadSections(Stream stream)
        {
            byte[] header = ReadAt(stream, 0, 64);
            Require(header[0] == 0x7f && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F',
                "not an ELF file");
            Require(header[4] == 2 && header[5] == 1, "not a 64-bit little-endian ELF file");
            long shoff = (long)U64(header, 0x28);
            ushort shentsize = U16(header, 0x3A);
            ushort shnum = U16(header, 0x3C);
            Require(shentsize >= 64 && shnum > 0, "no section headers");
            byte[] table = ReadAt(stream, shoff, shentsize * shnum);
            var sections = new Section[shnum];
            for (int i = 0; i < shnum; i++)
            {
                long o = (long)i * shentsize;
                sections[i] = new Section
                {
                    Type = U32(table, o + 4),
                    Offset = (long)U64(table, o + 0x18),
                    Size = (long)U64(table, o + 0x20),
                    Link = U32(table, o + 0x28),
                    Info = U32(table, o + 0x2C),
                };
            }

            return sections;
        }

        private static Section LinkedSection(Section[] sections, Section section)
        {
            Require(section.Link < sections.Length, "section link out of range");
            return sections[section.Link];
        }

        private static byte[] ReadSection(Stream stream, Section section)
        {
            Require(section.Size >= 0 && section.Size <= int.MaxValue && section.Offset >= 0, "bad section size");
            return ReadAt(stream, section.Offset, (int)section.Size);
        }

        private static byte[] ReadAt(Stream stream, long offset, int count)
        {
            Require(offset >= 0 && offset + count <= stream.Length, "truncated ELF file");
            var buffer = new byte[count];
            stream.Position = offset;
            int read = 0;
            while (read < count)
            {
                int n = stream.Read(buffer, read, count - read);
                Require(n > 0, "truncated ELF file");
                read += n;
            }

            return buffer;
        }

        private static string Name(byte[] strings, uint offset)
        {
            Require(offset < strings.Length, "string offset out of range");
            int end = Array.IndexOf(strings, (byte)0, (int)offset);
            Require(end >= 0, "unterminated string");
            return Encoding.ASCII.GetString(strings, (int)offset, end - (int)offset);
        }

        private static ushort U16(byte[] b, long o) => (ushort)(b[o] | (b[o + 1] << 8));

        private static uint U32(byte[] b, long o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));

        private static ulong U64(byte[] b, long o) => U32(b, o) | ((ulong)U32(b, o + 4) << 32);

        private static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new InvalidDataException(message);
            }
        }
    }
}
}
