using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Runner.Torch.Weights;

/// <summary>
/// Reads torch.save files without Python, both formats through one allow-listed unpickler (<see cref="PickleReader"/>)
/// and one set of checks on storages and tensor bounds. The pickle alone is read first: it names every tensor, with its
/// shape, type and storage, as a <see cref="PendingTensor"/>. A selector then says which tensors to read (and may refuse
/// the file from what the pickle declares); only the storages those tensors use are read, at most
/// <see cref="StorageSlack"/> times their elements, and the tensors are made as contiguous copies, so views (transposed,
/// sliced, sharing a storage) load like any other tensor.
/// </summary>
internal static class TorchSave
{
    /// <summary>
    /// How many times the selected tensors' elements their storages may hold in all (plus a MiB): a real state_dict's
    /// storages hold its tensors (tied weights share one); a checkpoint whose few small tensors sit in huge storages is
    /// refused before they are read.
    /// </summary>
    public const int StorageSlack = 2;

    /// <summary>The largest pickle read (a state_dict's names and shapes take KiBs; a whole file's are never this big).</summary>
    public const long MaxPickleBytes = 64L * 1024 * 1024;

    private static readonly BigInteger MagicNumber = BigInteger.Parse("1950a86a20f9469cfc6c", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    private const long ProtocolVersion = 1001;

    /// <summary>
    /// The legacy format (PyTorch before 1.6, or <c>_use_new_zipfile_serialization=False</c>), as torch/serialization.py's
    /// <c>_legacy_save</c> writes it: five pickles in a row — torch's magic number, the protocol version 1001, sys_info,
    /// the saved object (its storages as persistent ids), the list of storage keys — then each storage in that order as
    /// an int64 element count and its raw little-endian bytes. Returns the saved object with every tensor in its
    /// dictionaries materialised (CPU tensors; the caller disposes them).
    /// </summary>
    public static Dictionary<string, Tensor> ReadLegacy(string path, Func<IDictionary, IReadOnlyDictionary<string, PendingTensor>> select)
    {
        using var file = File.OpenRead(path);
        using var stream = new BufferedStream(file, 1 << 16);
        var storages = new StorageTable();
        try
        {
            if (!MagicNumber.Equals(PickleReader.Load(stream, null) as BigInteger?))
                throw new PickleException("not a torch.save file (the first pickle is not torch's magic number)");
            if (PickleReader.Load(stream, null) is not ProtocolVersion)
                throw new PickleException($"unsupported torch.save protocol version (runner reads {ProtocolVersion})");
            if (PickleReader.Load(stream, null) is IDictionary sysInfo && sysInfo["little_endian"] is false)
                throw new PickleException(BigEndian);
            var root = LoadRoot(stream, storages);
            if (PickleReader.Load(stream, null) is not List<object?> keys)
                throw new PickleException("the list of storages after the object is missing");
            var selected = select(root);
            var needed = storages.Needed(selected);
            foreach (var key in keys) storages.ReadData(key as string ?? "", stream, needed);
            return Materialise(selected, storages);
        }
        catch (EndOfStreamException)
        {
            throw new WeightsFormatException(
                $"{path} is truncated: it ends at byte {file.Length:N0}, before all its tensors were read; download or copy it again");
        }
        catch (PickleException e)
        {
            throw new WeightsFormatException($"{path}: {e.Message}");
        }
    }

    /// <summary>
    /// The zip format (PyTorch ≥ 1.6), as torch/serialization.py's <c>_save</c> writes it: <c>PREFIX/data.pkl</c> is the
    /// saved object (its storages as persistent ids), <c>PREFIX/data/KEY</c> each storage's raw bytes, and
    /// <c>PREFIX/byteorder</c> (PyTorch ≥ 2.1) says whether they are little-endian.
    /// </summary>
    public static Dictionary<string, Tensor> ReadZip(ZipArchive zip, string path,
        Func<IDictionary, IReadOnlyDictionary<string, PendingTensor>> select)
    {
        var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
            ?? throw new WeightsFormatException($"{path} is a zip file but not a torch.save file (no data.pkl inside)");
        var prefix = pickle.FullName[..^"data.pkl".Length];
        var storages = new StorageTable();
        try
        {
            if (zip.GetEntry(prefix + "byteorder") is { } byteOrder && (byteOrder.Length > 8 || Text(byteOrder) != "little"))
                throw new PickleException(BigEndian);
            if (pickle.Length > MaxPickleBytes) throw new PickleException($"its pickle is {pickle.Length:N0} bytes; a state_dict's is far smaller");
            using var stream = new MemoryStream(Bytes(pickle));
            var root = LoadRoot(stream, storages);
            var selected = select(root);
            foreach (var key in storages.Needed(selected)) storages.ReadData(key, zip.GetEntry($"{prefix}data/{key}"));
            return Materialise(selected, storages);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new WeightsFormatException($"{path}: damaged zip archive ({e.Message}); is the file complete?");
        }
        catch (PickleException e)
        {
            throw new WeightsFormatException($"{path}: {e.Message}");
        }
    }

    private const string BigEndian = "written on a big-endian machine, which runner cannot read";

    private static IDictionary LoadRoot(Stream stream, StorageTable storages)
    {
        var root = PickleReader.Load(stream, storages.Resolve) as IDictionary
            ?? throw new PickleException("the saved object is not a dictionary of tensors (a state_dict)");
        CheckNesting(root);
        return root;
    }

    private static byte[] Bytes(ZipArchiveEntry entry)
    {
        if (entry.Length > Array.MaxLength) throw new PickleException($"{entry.FullName} holds {entry.Length:N0} bytes, more than runner reads in one piece");
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static string Text(ZipArchiveEntry entry) => System.Text.Encoding.ASCII.GetString(Bytes(entry)).Trim();

    /// <summary>Nesting deeper than this is refused: no checkpoint needs it, and walking it could exhaust the stack.</summary>
    private const int MaxDepth = 64;

    /// <summary>
    /// Refuses a saved object whose containers nest deeper than <see cref="MaxDepth"/> or contain themselves (pickle's memo
    /// allows it), before anything walks it.
    /// </summary>
    private static void CheckNesting(IDictionary root)
    {
        var open = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var done = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Visit(root, 0);

        void Visit(object? value, int depth)
        {
            if (value is not (IDictionary or List<object?> or object?[]) || done.Contains(value)) return;
            if (depth > MaxDepth) throw new PickleException($"the pickle nests containers more than {MaxDepth} deep");
            if (!open.Add(value)) throw new PickleException("the pickle is malformed (a container contains itself)");
            foreach (var item in value is IDictionary dict ? dict.Values : (IEnumerable)value) Visit(item, depth + 1);
            open.Remove(value);
            done.Add(value);
        }
    }

    /// <summary>The selected tensors, made from their storages (CPU tensors; the caller disposes them).</summary>
    private static Dictionary<string, Tensor> Materialise(IReadOnlyDictionary<string, PendingTensor> selected, StorageTable storages)
    {
        var made = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, pending) in selected) made[name] = storages.Tensor(pending, name);
            return made;
        }
        catch
        {
            StateDicts.Dispose(made.Values);
            throw;
        }
        finally
        {
            storages.Dispose();
        }
    }

    /// <summary>The storages the pickle names (by key), their bytes once read, and the flat tensors made from them.</summary>
    private sealed class StorageTable : IDisposable
    {
        private static readonly Dictionary<string, (ScalarType Type, int Size)> StorageTypes = new()
        {
            ["FloatStorage"] = (ScalarType.Float32, 4), ["DoubleStorage"] = (ScalarType.Float64, 8),
            ["HalfStorage"] = (ScalarType.Float16, 2), ["BFloat16Storage"] = (ScalarType.BFloat16, 2),
            ["LongStorage"] = (ScalarType.Int64, 8), ["IntStorage"] = (ScalarType.Int32, 4),
            ["ShortStorage"] = (ScalarType.Int16, 2), ["CharStorage"] = (ScalarType.Int8, 1),
            ["ByteStorage"] = (ScalarType.Byte, 1), ["BoolStorage"] = (ScalarType.Bool, 1),
        };

        public static bool IsStorageType(string module, string name) => module == "torch" && StorageTypes.ContainsKey(name);

        private readonly Dictionary<string, Storage> _roots = new(StringComparer.Ordinal);
        private readonly Dictionary<string, StorageSlice> _views = new(StringComparer.Ordinal);
        private readonly Dictionary<Storage, Tensor> _flat = new(ReferenceEqualityComparer.Instance);

        /// <summary>
        /// The persistent id <c>('storage', type, root_key, location, numel)</c> (zip format) or
        /// <c>('storage', type, root_key, location, numel, view_metadata)</c> (legacy format).
        /// </summary>
        public StorageSlice Resolve(object? id)
        {
            if (id is not object?[] { Length: > 0 } tuple || tuple[0] is not string kind)
                throw new PickleException("unknown kind of persistent id");
            if (kind == "module")
                throw new PickleException("holds a pickled whole model (torch.save(model)), not a state_dict; in Python, re-save it with torch.save(model.state_dict(), 'weights.pth')");
            if (kind != "storage" || tuple.Length is not (5 or 6) || tuple[1] is not PickleGlobal type || tuple[2] is not string key)
                throw new PickleException($"unknown persistent id '{kind}'");
            if (type.Module != "torch" || !StorageTypes.TryGetValue(type.Name, out var storageType))
                throw new PickleException($"unknown storage type '{type.Module}.{type.Name}'");
            if (!_roots.TryGetValue(key, out var root))
                _roots[key] = root = new Storage(storageType.Type, storageType.Size,
                    PickleReader.ToLong(tuple[4]) is >= 0 and var numel ? numel : throw new PickleException($"storage '{key}' has a negative size"));
            if (tuple is not [.., object?[] { Length: 3 } view] || view[0] is not string viewKey) return new StorageSlice(root, 0);
            if (!_views.TryGetValue(viewKey, out var slice))
                _views[viewKey] = slice = new StorageSlice(root, PickleReader.ToLong(view[1]));
            return slice;
        }

        /// <summary>
        /// The keys of the storages <paramref name="selected"/> reads, after checking that together they hold at most
        /// <see cref="StorageSlack"/> times the selected tensors' elements (plus a MiB).
        /// </summary>
        public IReadOnlySet<string> Needed(IReadOnlyDictionary<string, PendingTensor> selected)
        {
            var needed = selected.Values.Select(p => p.Storage.Root).Distinct().ToList();
            var elements = selected.Values.Aggregate(BigInteger.Zero, (n, p) => n + p.Size.Aggregate(BigInteger.One, (a, d) => a * d));
            var stored = needed.Aggregate(BigInteger.Zero, (n, s) => n + s.Numel);
            if (stored > StorageSlack * elements + (1 << 20))
                throw new PickleException($"its tensors' storages hold {stored:N0} elements for tensors of {elements:N0}; " +
                    "runner does not read storages that much larger than the tensors it needs");
            return _roots.Where(r => needed.Contains(r.Value)).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        }

        /// <summary>A legacy-format storage: its element count and bytes, read when <paramref name="needed"/> holds it, skipped otherwise.</summary>
        public void ReadData(string key, Stream stream, IReadOnlySet<string> needed)
        {
            if (!_roots.TryGetValue(key, out var storage))
                throw new PickleException($"the storage list names storage '{key}', which no tensor uses");
            var count = PickleReader.ReadInt64(stream);
            if (count < 0 || count > (stream.Length - stream.Position) / storage.ElementSize) throw new EndOfStreamException();
            var bytes = count * storage.ElementSize;
            if (!needed.Contains(key))
            {
                stream.Seek(bytes, SeekOrigin.Current);
                return;
            }
            if (count > storage.Numel)
                throw new PickleException($"storage '{key}' holds {count:N0} elements, but its tensors' storage has {storage.Numel:N0}");
            if (bytes > Array.MaxLength) throw new PickleException($"storage '{key}' holds {bytes:N0} bytes, more than runner reads in one piece");
            storage.Data = new byte[bytes];
            stream.ReadExactly(storage.Data);
        }

        /// <summary>A zip-format storage: its entry's bytes, which must be exactly the element count its persistent id gives.</summary>
        public void ReadData(string key, ZipArchiveEntry? entry)
        {
            var storage = _roots[key];
            if (entry is null) throw new PickleException($"storage '{key}' is missing from the archive (no data/{key} inside)");
            if (entry.Length != (BigInteger)storage.Numel * storage.ElementSize)
                throw new PickleException($"storage '{key}' holds {entry.Length:N0} bytes, but its tensors' storage has {storage.Numel:N0} elements of {storage.ElementSize} bytes");
            storage.Data = Bytes(entry);
        }

        /// <summary>A contiguous copy of the tensor's view of its storage.</summary>
        public Tensor Tensor(PendingTensor pending, string name)
        {
            var flat = Flat(pending.Storage.Root, name);
            var count = flat.shape[0];
            // The last element's index, in arbitrary precision: hostile sizes must not overflow past the check.
            var offset = (BigInteger)pending.Storage.Offset + pending.Offset;
            var last = offset + pending.Size.Zip(pending.Stride, (n, s) => n == 0 ? BigInteger.Zero : (BigInteger)(n - 1) * s).Aggregate(BigInteger.Zero, BigInteger.Add);
            if (offset < 0 || pending.Size.Any(n => n < 0) || pending.Stride.Any(s => s < 0) || (pending.Size.All(n => n > 0) && last >= count))
                throw new PickleException($"tensor '{name}' points outside its storage");
            using var view = flat.as_strided(pending.Size, pending.Stride, (long)offset);
            return view.clone();
        }

        /// <summary>The storage as a 1-d tensor, made once; its bytes are let go of then, so a file is held in memory once, not twice.</summary>
        private Tensor Flat(Storage storage, string name)
        {
            if (_flat.TryGetValue(storage, out var flat)) return flat;
            if (storage.Data is null) throw new PickleException($"tensor '{name}': its storage's bytes are missing from the file");
            _flat[storage] = flat = torch.empty(new[] { storage.Data.LongLength / storage.ElementSize }, storage.Type);
            flat.bytes = storage.Data;
            storage.Data = null;
            return flat;
        }

        public void Dispose()
        {
            StateDicts.Dispose(_flat.Values);
            _flat.Clear();
        }
    }

    /// <summary>A storage's element type, element count (as the pickle names it) and, once read, its bytes.</summary>
    internal sealed class Storage(ScalarType type, int elementSize, long numel)
    {
        public ScalarType Type { get; } = type;
        public int ElementSize { get; } = elementSize;
        public long Numel { get; } = numel;
        public byte[]? Data { get; set; }
    }

    internal sealed record StorageSlice(Storage Root, long Offset);

    /// <summary>What <c>torch._utils._rebuild_tensor(_v2)</c> would build, made once the storages' bytes are in.</summary>
    internal sealed record PendingTensor(StorageSlice Storage, long Offset, long[] Size, long[] Stride)
    {
        public TensorInfo Info => new(Size, Storage.Root.Type);
    }

    /// <summary>A global the allow-list admits, by name.</summary>
    internal sealed record PickleGlobal(string Module, string Name);

    /// <summary>A problem with the file's content; its message is for the user, prefixed with the file's name.</summary>
    internal sealed class PickleException(string message) : Exception(message);

    /// <summary>
    /// A pickle virtual machine for the opcodes that torch.save's state_dicts use (protocols 2–4). Globals are limited to
    /// <c>collections.OrderedDict</c>, torch's tensor rebuild functions and typed storages: a pickle that asks for anything
    /// else (a whole model, arbitrary code) is refused before anything is called.
    /// </summary>
    internal sealed class PickleReader
    {
        private readonly Stream _stream;
        private readonly Func<object?, object>? _persistentLoad;
        private readonly List<object?> _stack = [];
        private readonly Stack<int> _marks = new();
        private readonly Dictionary<long, object?> _memo = [];

        private PickleReader(Stream stream, Func<object?, object>? persistentLoad)
        {
            _stream = stream;
            _persistentLoad = persistentLoad;
        }

        /// <summary>Reads one pickle (up to its STOP) from the stream's current position.</summary>
        public static object? Load(Stream stream, Func<object?, object>? persistentLoad) => new PickleReader(stream, persistentLoad).Run();

        private object? Run()
        {
            while (true)
            {
                var position = _stream.Position;
                var opcode = ReadByte();
                switch (opcode)
                {
                    case 0x80: ReadByte(); break; // PROTO
                    case 0x95: ReadBytes(8); break; // FRAME
                    case (byte)'.': return Pop(); // STOP
                    case (byte)'(': _marks.Push(_stack.Count); break; // MARK
                    case (byte)'N': Push(null); break;
                    case 0x88: Push(true); break;
                    case 0x89: Push(false); break;
                    case (byte)'J': Push((long)BitConverter.ToInt32(ReadBytes(4))); break; // BININT
                    case (byte)'K': Push((long)ReadByte()); break; // BININT1
                    case (byte)'M': Push((long)BitConverter.ToUInt16(ReadBytes(2))); break; // BININT2
                    case 0x8A: Push(Long(ReadBytes(ReadByte()))); break; // LONG1
                    case 0x8B: Push(Long(ReadBytes(Length(ReadInt32())))); break; // LONG4
                    case (byte)'G': Push(BitConverter.Int64BitsToDouble(System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(ReadBytes(8)))); break;
                    case (byte)'X': Push(System.Text.Encoding.UTF8.GetString(ReadBytes(Length(ReadUInt32())))); break; // BINUNICODE
                    case 0x8C: Push(System.Text.Encoding.UTF8.GetString(ReadBytes(ReadByte()))); break; // SHORT_BINUNICODE
                    case 0x8D: Push(System.Text.Encoding.UTF8.GetString(ReadBytes(Length(ReadInt64(_stream))))); break; // BINUNICODE8
                    case (byte)'T': Push(System.Text.Encoding.Latin1.GetString(ReadBytes(Length(ReadInt32())))); break; // BINSTRING (Python 2)
                    case (byte)'U': Push(System.Text.Encoding.Latin1.GetString(ReadBytes(ReadByte()))); break; // SHORT_BINSTRING
                    case (byte)'B': Push(ReadBytes(Length(ReadUInt32()))); break; // BINBYTES
                    case (byte)'C': Push(ReadBytes(ReadByte())); break; // SHORT_BINBYTES
                    case (byte)']': Push(new List<object?>()); break;
                    case (byte)')': Push(Array.Empty<object?>()); break;
                    case (byte)'}': Push(new OrderedDictionary()); break;
                    case (byte)'l': Push(PopMark()); break; // LIST
                    case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
                    case (byte)'d': Push(SetItems(new OrderedDictionary(), PopMark())); break; // DICT
                    case 0x85: Push(new[] { Pop() }); break;
                    case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }
                    case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; }
                    case (byte)'a': { var item = Pop(); Top<List<object?>>("APPEND").Add(item); break; }
                    case (byte)'e': { var items = PopMark(); Top<List<object?>>("APPENDS").AddRange(items); break; }
                    case (byte)'s': { var value = Pop(); var key = Pop(); SetItems(Top<IDictionary>("SETITEM"), [key, value]); break; }
                    case (byte)'u': { var items = PopMark(); SetItems(Top<IDictionary>("SETITEMS"), items); break; }
                    case (byte)'q': _memo[ReadByte()] = Peek(); break; // BINPUT
                    case (byte)'r': _memo[ReadUInt32()] = Peek(); break; // LONG_BINPUT
                    case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
                    case (byte)'h': Push(Memo(ReadByte())); break; // BINGET
                    case (byte)'j': Push(Memo(ReadUInt32())); break; // LONG_BINGET
                    case (byte)'c': Push(Global(ReadLine(), ReadLine())); break; // GLOBAL
                    case 0x93: { var name = Pop() as string; var module = Pop() as string; Push(Global(module ?? "", name ?? "")); break; }
                    case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Reduce(callable, args as object?[] ?? [])); break; }
                    case (byte)'b': Build(); break;
                    case (byte)'Q': Push(PersistentLoad(Pop())); break; // BINPERSID
                    case (byte)'0': Pop(); break; // POP
                    case (byte)'1': PopMark(); break; // POP_MARK
                    case (byte)'2': Push(Peek()); break; // DUP
                    default:
                        throw new PickleException($"not a plain state_dict: pickle opcode 0x{opcode:x2} at byte {position:N0} is not one runner reads");
                }
            }
        }

        /// <summary>The allow-list: anything else is refused before it could be called.</summary>
        private static PickleGlobal Global(string module, string name)
        {
            var allowed = (module, name) switch
            {
                ("collections", "OrderedDict") => true,
                ("torch._utils", "_rebuild_tensor_v2" or "_rebuild_tensor" or "_rebuild_parameter") => true,
                _ => StorageTable.IsStorageType(module, name),
            };
            if (!allowed)
                throw new PickleException(
                    $"not a plain state_dict: it asks for the Python object '{module}.{name}', which runner does not load " +
                    "(only tensors in dictionaries are read); if it is a whole model, in Python re-save it with " +
                    "torch.save(model.state_dict(), 'weights.pth')");
            return new PickleGlobal(module, name);
        }

        private static object Reduce(object? callable, object?[] args)
        {
            if (callable is not PickleGlobal global) throw new PickleException("not a plain state_dict: it calls something that is not a known function");
            switch (global.Name)
            {
                case "OrderedDict":
                    var dict = new OrderedDictionary();
                    if (args is [List<object?> pairs])
                        foreach (var pair in pairs)
                            if (pair is object?[] { Length: 2 } kv) SetItems(dict, [kv[0], kv[1]]);
                    return dict;
                case "_rebuild_tensor_v2" when args.Length >= 4:
                case "_rebuild_tensor" when args.Length == 4:
                    if (args[0] is not StorageSlice storage || args[2] is not object?[] size || args[3] is not object?[] stride
                        || size.Length != stride.Length)
                        throw new PickleException("a tensor in the file is malformed (storage, size and stride do not fit together)");
                    return new PendingTensor(storage, ToLong(args[1]), size.Select(ToLong).ToArray(), stride.Select(ToLong).ToArray());
                case "_rebuild_parameter" when args.Length >= 1 && args[0] is PendingTensor data:
                    return data;
                default:
                    throw new PickleException($"not a plain state_dict: {global.Module}.{global.Name} is called with unexpected arguments");
            }
        }

        /// <summary>BUILD sets an object's state: for a state_dict that is OrderedDict's <c>_metadata</c>, which runner does not need.</summary>
        private void Build()
        {
            Pop();
            if (Peek() is not IDictionary) throw new PickleException("not a plain state_dict: it sets the state of an object that is not a dictionary");
        }

        private object PersistentLoad(object? id) =>
            _persistentLoad is null ? throw new PickleException("not a torch.save file (a storage where none may be)") : _persistentLoad(id);

        private static IDictionary SetItems(IDictionary dict, List<object?> items)
        {
            if (items.Count % 2 != 0) throw new PickleException("a dictionary in the file is malformed");
            for (var i = 0; i < items.Count; i += 2)
                dict[items[i] ?? throw new PickleException("a dictionary in the file has the key None")] = items[i + 1];
            return dict;
        }

        /// <summary>A LONG1/LONG4 integer; <see cref="ToLong"/> narrows it where a long is needed.</summary>
        private static BigInteger Long(byte[] bytes) => new(bytes, isUnsigned: false, isBigEndian: false);

        public static long ToLong(object? value) => value switch
        {
            long l => l,
            bool b => b ? 1 : 0,
            BigInteger big when big >= long.MinValue && big <= long.MaxValue => (long)big,
            _ => throw new PickleException("a tensor in the file is malformed (a size that is not an integer)"),
        };

        private void Push(object? value) => _stack.Add(value);

        private object? Pop()
        {
            if (_stack.Count == 0 || (_marks.Count > 0 && _stack.Count == _marks.Peek())) throw new PickleException("the pickle is malformed (stack underflow)");
            var value = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            return value;
        }

        private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw new PickleException("the pickle is malformed (stack underflow)");

        private T Top<T>(string opcode) where T : class =>
            Peek() as T ?? throw new PickleException($"the pickle is malformed ({opcode} on the wrong kind of object)");

        private List<object?> PopMark()
        {
            if (_marks.Count == 0) throw new PickleException("the pickle is malformed (no mark)");
            var mark = _marks.Pop();
            var items = _stack.GetRange(mark, _stack.Count - mark);
            _stack.RemoveRange(mark, _stack.Count - mark);
            return items;
        }

        private object? Memo(long index) =>
            _memo.TryGetValue(index, out var value) ? value : throw new PickleException("the pickle is malformed (an unknown memo entry)");

        private int Length(long length)
        {
            if (length < 0 || length > _stream.Length - _stream.Position) throw new EndOfStreamException();
            return length <= Array.MaxLength ? (int)length
                : throw new PickleException($"the pickle holds a {length:N0}-byte value, more than runner reads");
        }

        private byte ReadByte()
        {
            var value = _stream.ReadByte();
            return value < 0 ? throw new EndOfStreamException() : (byte)value;
        }

        private byte[] ReadBytes(int count)
        {
            var bytes = new byte[count];
            _stream.ReadExactly(bytes);
            return bytes;
        }

        private int ReadInt32() => BitConverter.ToInt32(ReadBytes(4));
        private uint ReadUInt32() => BitConverter.ToUInt32(ReadBytes(4));

        public static long ReadInt64(Stream stream)
        {
            Span<byte> bytes = stackalloc byte[8];
            stream.ReadExactly(bytes);
            return BitConverter.ToInt64(bytes);
        }

        private string ReadLine()
        {
            var bytes = new List<byte>();
            for (var b = ReadByte(); b != (byte)'\n'; b = ReadByte())
            {
                if (bytes.Count > 256) throw new PickleException("the pickle is malformed (a global name longer than 256 bytes)");
                bytes.Add(b);
            }
            return System.Text.Encoding.ASCII.GetString(bytes.ToArray());
        }
    }
}
