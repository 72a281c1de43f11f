namespace Runner.NativeCompat;

/// <summary>The versions a library needs from one dependency (an ELF <c>Verneed</c> entry).</summary>
internal sealed record ElfVersionNeed(string FileName, IReadOnlyList<ElfVersionNeedEntry> Versions);
