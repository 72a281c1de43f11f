using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Runner.NativeCompat;

/// <summary>
/// Reads symbol-version information from ELF64 little-endian shared libraries: version definitions
/// (<c>.gnu.version_d</c>) and version needs (<c>.gnu.version_r</c>), and can mark a need weak.
/// Sections are found through the section headers by type; their names come from the string table
/// named by <c>sh_link</c> (<c>.dynstr</c>).
/// </summary>
internal static class ElfVersionInfo
{
    public const ushort VerFlagWeak = 0x2;     // VER_FLG_WEAK
    private const ushort VerFlagBase = 0x1;    // VER_FLG_BASE: the verdef naming the library itself
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>Version names a library defines, e.g. GLIBCXX_3.4 ... GLIBCXX_3.4.30 for libstdc++ (without its base entry).</summary>
    public static IReadOnlyList<string> ReadVersionDefinitions(string path)
    {
        using var elf = ElfFile.Open(path);
        var result = new List<string>();
        foreach (var section in elf.SectionsOfType(ShtGnuVerdef))
        {
            var strtab = elf.StringTable(section.Link);
            var data = elf.Read(section.Offset, section.Size);
            long pos = 0;
            for (uint i = 0; i < section.Info; i++)
            {
                elf.Require(pos + 20 <= data.Length, ".gnu.version_d entry beyond its section");
                var d = data.AsSpan((int)pos);
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(d[2..]);
                ushort count = BinaryPrimitives.ReadUInt16LittleEndian(d[6..]);
                uint aux = BinaryPrimitives.ReadUInt32LittleEndian(d[12..]);
                uint next = BinaryPrimitives.ReadUInt32LittleEndian(d[16..]);
                if ((flags & VerFlagBase) == 0 && count > 0)
                {
                    elf.Require(pos + aux + 8 <= data.Length, ".gnu.version_d aux entry beyond its section");
                    uint name = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)(pos + aux)));
                    result.Add(elf.String(strtab, name));
                }
                if (next == 0) break;
                pos += next;
            }
        }
        return result;
    }

    /// <summary>Version needs of a library, per dependency file name, in file order.</summary>
    public static IReadOnlyList<ElfVersionNeed> ReadVersionNeeds(string path)
    {
        using var elf = ElfFile.Open(path);
        return ReadNeeds(elf);
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on every need of <paramref name="versionName"/>, so the dynamic loader no
    /// longer refuses the library when no dependency defines that version. Only the flag bytes change;
    /// the file size stays the same. The changed file is written next to the original and renamed over
    /// it, so a hard-linked or symlinked copy never alters its source (e.g. the NuGet cache), and a
    /// process that has the library mapped keeps its old pages.
    /// </summary>
    /// <returns><c>true</c> if the file changed; <c>false</c> if the need was already weak.</returns>
    /// <exception cref="InvalidOperationException">The library does not need <paramref name="versionName"/>.</exception>
    public static bool MarkVersionNeedWeak(string path, string versionName)
    {
        List<ElfVersionNeedEntry> entries;
        using (var elf = ElfFile.Open(path))
            entries = ReadNeeds(elf).SelectMany(n => n.Versions).Where(v => v.Name == versionName).ToList();

        if (entries.Count == 0)
            throw new InvalidOperationException($"{path} does not need version {versionName}.");
        var toChange = entries.Where(e => !e.IsWeak).ToList();
        if (toChange.Count == 0) return false;

        string temp = $"{path}.weak-{Environment.ProcessId}.tmp";
        try
        {
            File.Copy(path, temp, overwrite: true);
            using (var handle = File.OpenHandle(temp, FileMode.Open, FileAccess.ReadWrite))
            {
                Span<byte> flags = stackalloc byte[2];
                foreach (var e in toChange)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(e.Flags | VerFlagWeak));
                    RandomAccess.Write(handle, flags, e.Offset + 4);
                }
            }
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return true;
    }

    private static List<ElfVersionNeed> ReadNeeds(ElfFile elf)
    {
        var result = new List<ElfVersionNeed>();
        foreach (var section in elf.SectionsOfType(ShtGnuVerneed))
        {
            var strtab = elf.StringTable(section.Link);
            var data = elf.Read(section.Offset, section.Size);
            long pos = 0;
            for (uint i = 0; i < section.Info; i++)
            {
                elf.Require(pos + 16 <= data.Length, ".gnu.version_r entry beyond its section");
                var n = data.AsSpan((int)pos);
                ushort count = BinaryPrimitives.ReadUInt16LittleEndian(n[2..]);
                uint file = BinaryPrimitives.ReadUInt32LittleEndian(n[4..]);
                uint aux = BinaryPrimitives.ReadUInt32LittleEndian(n[8..]);
                uint next = BinaryPrimitives.ReadUInt32LittleEndian(n[12..]);

                var versions = new List<ElfVersionNeedEntry>(count);
                long auxPos = pos + aux;
                for (int j = 0; j < count; j++)
                {
                    elf.Require(auxPos + 16 <= data.Length, ".gnu.version_r aux entry beyond its section");
                    var a = data.AsSpan((int)auxPos);
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(a[4..]);
                    uint name = BinaryPrimitives.ReadUInt32LittleEndian(a[8..]);
                    uint auxNext = BinaryPrimitives.ReadUInt32LittleEndian(a[12..]);
                    versions.Add(new ElfVersionNeedEntry(elf.String(strtab, name), flags, section.Offset + auxPos));
                    if (auxNext == 0) break;
                    auxPos += auxNext;
                }
                result.Add(new ElfVersionNeed(elf.String(strtab, file), versions));
                if (next == 0) break;
                pos += next;
            }
        }
        return result;
    }

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info);

    /// <summary>Random access to the header, section headers and chosen sections of an ELF64 LE file.</summary>
    private sealed class ElfFile : IDisposable
    {
        private readonly SafeFileHandle _handle;
        private readonly string _path;
        private readonly long _length;
        private readonly Section[] _sections;

        private ElfFile(SafeFileHandle handle, string path)
        {
            _handle = handle;
            _path = path;
            _length = RandomAccess.GetLength(handle);

            Require(_length >= 64, "file too short for an ELF header", notElf: true);
            var h = Read(0, 64);
            Require(h[0] == 0x7f && h[1] == (byte)'E' && h[2] == (byte)'L' && h[3] == (byte)'F', "no ELF magic", notElf: true);
            Require(h[4] == 2, "only 64-bit ELF (ELFCLASS64) is supported");
            Require(h[5] == 1, "only little-endian ELF (ELFDATA2LSB) is supported");

            long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(0x28));
            int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(0x3A));
            long shnum = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(0x3C));
            Require(shoff > 0, "no section headers");
            Require(shentsize >= 64, $"unexpected section header size {shentsize}");
            if (shnum == 0) // extended numbering: the real count is in section 0's sh_size
                shnum = (long)BinaryPrimitives.ReadUInt64LittleEndian(Read(shoff, 64).AsSpan(0x20));
            Require(shnum <= 0xFFFFFF && shoff + shnum * shentsize <= _length, "section headers beyond end of file");

            var table = Read(shoff, shnum * shentsize);
            _sections = new Section[shnum];
            for (int i = 0; i < shnum; i++)
            {
                var s = table.AsSpan(i * shentsize);
                _sections[i] = new Section(
                    Type: BinaryPrimitives.ReadUInt32LittleEndian(s[4..]),
                    Offset: (long)BinaryPrimitives.ReadUInt64LittleEndian(s[0x18..]),
                    Size: (long)BinaryPrimitives.ReadUInt64LittleEndian(s[0x20..]),
                    Link: BinaryPrimitives.ReadUInt32LittleEndian(s[0x28..]),
                    Info: BinaryPrimitives.ReadUInt32LittleEndian(s[0x2C..]));
            }
        }

        public static ElfFile Open(string path)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"No such file: {path}", path);
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            try { return new ElfFile(handle, path); }
            catch { handle.Dispose(); throw; }
        }

        public IEnumerable<Section> SectionsOfType(uint type) => _sections.Where(s => s.Type == type);

        public byte[] StringTable(uint index)
        {
            Require(index < _sections.Length, $"string table index {index} out of range");
            return Read(_sections[index].Offset, _sections[index].Size);
        }

        public string String(byte[] strtab, uint offset)
        {
            Require(offset < strtab.Length, $"string offset {offset} beyond its string table");
            int end = Array.IndexOf(strtab, (byte)0, (int)offset);
            Require(end >= 0, "unterminated string in string table");
            return Encoding.UTF8.GetString(strtab, (int)offset, end - (int)offset);
        }

        public byte[] Read(long offset, long size)
        {
            Require(offset >= 0 && size >= 0 && size <= int.MaxValue && offset + size <= _length,
                $"range {offset}+{size} beyond end of file ({_length} bytes)");
            var buffer = new byte[size];
            int done = 0;
            while (done < buffer.Length)
            {
                int n = RandomAccess.Read(_handle, buffer.AsSpan(done), offset + done);
                Require(n > 0, "unexpected end of file");
                done += n;
            }
            return buffer;
        }

        public void Require(bool condition, string problem, bool notElf = false)
        {
            if (condition) return;
            throw new InvalidDataException(notElf
                ? $"{_path} is not an ELF file ({problem})."
                : $"{_path}: unsupported or corrupt ELF file: {problem}.");
        }

        public void Dispose() => _handle.Dispose();
    }
}
