namespace Runner.NativeCompat;

/// <summary>One version a library needs from one of its dependencies (an ELF <c>Vernaux</c> entry).</summary>
/// <param name="Name">Version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags"><c>vna_flags</c>; bit 0x2 (<see cref="ElfVersionInfo.VerFlagWeak"/>) marks the need weak.</param>
/// <param name="Offset">File offset of the <c>Vernaux</c> record (its flags are at +4).</param>
internal sealed record ElfVersionNeedEntry(string Name, ushort Flags, long Offset)
{
    public bool IsWeak => (Flags & ElfVersionInfo.VerFlagWeak) != 0;
}
