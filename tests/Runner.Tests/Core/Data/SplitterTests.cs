using Runner.Core.Config;
using Runner.Core.Data;

namespace Runner.Tests.Core.Data;

/// <summary>Splitter: deterministic, order-independent, stratified, and stable when files are added.</summary>
public sealed class SplitterTests
{
    private static readonly SplitSpec Split = new(Validation: 0.2, Test: 0.2, Stratify: true, Seed: 42);

    private static List<DatasetItem> Items(int classes, int perClass, int firstIndex = 0) =>
        Enumerable.Range(0, classes)
            .SelectMany(c => Enumerable.Range(firstIndex, perClass).Select(i => new DatasetItem($"c{c}/img{i:D4}.png", $"c{c}/img{i:D4}.png", c)))
            .ToList();

    private static Dictionary<string, string> SplitOf(IEnumerable<DatasetItem> items) => items.ToDictionary(i => i.Id.ToString(), i => i.Split);

    [Fact]
    public void Stratified_fractions_hold_per_class()
    {
        var result = Splitter.Assign(Items(3, 100), Split);

        Assert.Equal(300, result.Count);
        foreach (var label in new[] { 0, 1, 2 })
        {
            var ofClass = result.Where(i => i.Label == label).ToList();
            Assert.Equal(20, ofClass.Count(i => i.Split == Splits.Test));
            Assert.Equal(20, ofClass.Count(i => i.Split == Splits.Validation));
            Assert.Equal(60, ofClass.Count(i => i.Split == Splits.Train));
        }
    }

    [Fact]
    public void Stratified_counts_round_per_class()
    {
        // 10 items × 0.25 = 2.5 → 3 (away from zero) per class, and small classes still get their share
        var result = Splitter.Assign(Items(2, 10), new SplitSpec(0.25, 0.25, true, 1));
        foreach (var label in new[] { 0, 1 })
            Assert.Equal((3, 3, 4), (
                result.Count(i => i.Label == label && i.Split == Splits.Test),
                result.Count(i => i.Label == label && i.Split == Splits.Validation),
                result.Count(i => i.Label == label && i.Split == Splits.Train)));
    }

    [Fact]
    public void Unstratified_fractions_hold_overall()
    {
        var result = Splitter.Assign(Items(3, 100), Split with { Stratify = false });
        Assert.Equal(60, result.Count(i => i.Split == Splits.Test));
        Assert.Equal(60, result.Count(i => i.Split == Splits.Validation));
        Assert.Equal(180, result.Count(i => i.Split == Splits.Train));
    }

    [Fact]
    public void Deterministic_and_independent_of_input_order()
    {
        var items = Items(3, 50);
        var first = Splitter.Assign(items, Split);
        var shuffled = items.OrderBy(i => i.Id.GetHashCode()).Reverse().ToList();

        Assert.Equal(first, Splitter.Assign(items, Split));
        Assert.Equal(first, Splitter.Assign(shuffled, Split));
        Assert.Equal(first.Select(i => i.Id.ToString()).Order(StringComparer.Ordinal), first.Select(i => i.Id.ToString())); // sorted by id
    }

    [Fact]
    public void Seed_changes_the_assignment()
    {
        var items = Items(2, 50);
        var a = SplitOf(Splitter.Assign(items, Split));
        var b = SplitOf(Splitter.Assign(items, Split with { Seed = 43 }));
        Assert.Contains(a.Keys, id => a[id] != b[id]);
    }

    [Fact]
    public void Adding_one_item_per_class_moves_at_most_two_existing_items_per_class_between_neighbouring_splits()
    {
        // Items are ranked by a seeded hash of their id; each split is a contiguous run of ranks
        // (test | validation | train). One new item per class shifts every existing rank by at most 1,
        // and with 101 items the boundaries (round(101 × 0.2) = 20) stay put, so at most one existing
        // item crosses each of the two boundaries per class — and never from test straight to train.
        const int classes = 3;
        var before = SplitOf(Splitter.Assign(Items(classes, 100), Split));
        var grown = Items(classes, 100).Concat(Items(classes, 1, firstIndex: 100)).ToList();
        var after = SplitOf(Splitter.Assign(grown, Split));

        var moved = before.Keys.Where(id => before[id] != after[id]).ToList();
        Assert.True(moved.Count <= 2 * classes, $"{moved.Count} existing items changed split");
        Assert.DoesNotContain(moved, id => (before[id], after[id]) is (Splits.Test, Splits.Train) or (Splits.Train, Splits.Test));
    }

    [Fact]
    public void Adding_many_items_keeps_most_assignments()
    {
        // 10% more data: every existing item shifts by at most 10 ranks, so at most ~10 per boundary per class move.
        const int classes = 2;
        var before = SplitOf(Splitter.Assign(Items(classes, 200), Split));
        var after = SplitOf(Splitter.Assign(Items(classes, 200).Concat(Items(classes, 20, firstIndex: 200)).ToList(), Split));

        var moved = before.Keys.Count(id => before[id] != after[id]);
        Assert.True(moved <= classes * 2 * 20, $"{moved} of {before.Count} existing items changed split");
    }
}
