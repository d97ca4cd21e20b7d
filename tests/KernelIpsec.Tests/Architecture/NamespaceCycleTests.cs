using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Architecture;

/// <summary>
/// No cycle between our namespaces (DESIGN.md, issue 15), read from the compiled assemblies so that it stays true:
/// a type of one namespace using a type of another anywhere (signature, attribute, method body) is an arrow.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class NamespaceCycleTests
{
    /// <summary>
    /// Known cycles, being removed by issue 15 (the IKE re-cut): each names the namespaces of one strongly
    /// connected component. The test fails on any cycle not listed AND on any listed cycle that is gone, so this
    /// list can only shrink; when it is empty, delete it.
    /// </summary>
    /// <summary>
    /// Cycles tolerated while being removed; empty since issue 15. Add one only with the issue that removes it:
    /// the test fails on any cycle not listed here and on a listed one that no longer exists.
    /// </summary>
    private static readonly string[] KnownCycles = [];

    [Test]
    public void NamespacesOfTheProductFormNoCycles()
    {
        var uses = ProductAssemblies.Read().Values.SelectMany(a => a.Uses);
        var graph = NamespaceGraph.FromTypeUses(uses, "KernelIpsec");
        var cycles = graph.Cycles();

        TestContext.Out.WriteLine($"{graph.Nodes.Count()} namespaces; known cycles: {KnownCycles.Length}");
        foreach (var known in KnownCycles)
            TestContext.Out.WriteLine("  " + known);
        foreach (var cycle in cycles)
            TestContext.Out.WriteLine(cycle.Describe());

        var problems = Compare(cycles, KnownCycles);
        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    [Test]
    public void FindsEveryCycleOfAHandBuiltGraphAndReportsNewAndVanishedOnes()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("A", "B");
        graph.AddEdge("B", "C");
        graph.AddEdge("C", "A");
        graph.AddEdge("C", "D");
        graph.AddEdge("D", "E");
        graph.AddEdge("E", "D");
        graph.AddEdge("E", "F");
        graph.AddNode("G");

        var cycles = graph.Cycles();

        Assert.That(cycles.Select(c => c.Key), Is.EqualTo(new[] { "A | B | C", "D | E" }));
        Assert.That(cycles[0].ShortestLoop(), Is.EqualTo("A -> B -> C -> A"));
        Assert.That(cycles[1].Edges(), Is.EqualTo(new[] { "D -> E", "E -> D" }));

        var unlisted = Compare(cycles, ["D | E"]);
        Assert.That(unlisted, Has.Count.EqualTo(1));
        Assert.That(unlisted[0], Does.StartWith("new namespace cycle").And.Contain("A -> B -> C -> A"));

        var vanished = Compare(cycles, ["A | B | C", "D | E", "X | Y"]);
        Assert.That(vanished, Is.EqualTo(new[] { "known cycle X | Y no longer exists: remove it from KnownCycles" }));
    }

    [Test]
    public void FindsACycleMadeOnlyOfUsesInsideMethodBodies()
    {
        // Sample/CycleSample.cs: Left.Caller news a Right.Callee in a body, Right.Callee takes Left.Caller.Seed
        // as a delegate in a body; no signature names the other namespace
        var tests = AssemblyTypeUses.Read(Path.Combine(AppContext.BaseDirectory, "KernelIpsec.Tests.dll"));
        var graph = NamespaceGraph.FromTypeUses(tests.Uses, "KernelIpsec.Tests.Architecture.Sample");

        var cycle = graph.Cycles().Single();

        const string left = "KernelIpsec.Tests.Architecture.Sample.Left", right = "KernelIpsec.Tests.Architecture.Sample.Right";
        Assert.That(cycle.Members, Is.EqualTo(new[] { left, right }));
        Assert.That(graph.Example(left, right)!.Where, Is.EqualTo("body of method Call"));
        Assert.That(graph.Example(right, left)!.Where, Is.EqualTo("body of method Answer"));
    }

    /// <summary>What is wrong with the cycles found, measured against the allow-list; empty when nothing is.</summary>
    internal static List<string> Compare(IReadOnlyList<NamespaceGraph.Cycle> cycles, IReadOnlyCollection<string> known)
    {
        var problems = new List<string>();
        foreach (var cycle in cycles.Where(c => !known.Contains(c.Key)))
            problems.Add($"new namespace cycle [{cycle.Key}]: {cycle.Describe()}");
        foreach (var gone in known.Where(k => cycles.All(c => c.Key != k)))
            problems.Add($"known cycle {gone} no longer exists: remove it from KnownCycles");
        return problems;
    }
}
