namespace KernelIpsec.Tests.Architecture;

/// <summary>
/// Namespace -> namespace dependencies among our own namespaces, each edge with one example of a type
/// use that makes it, and the strongly connected components (Tarjan) that are its cycles.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, TypeUse?>> edges = new(StringComparer.Ordinal);

    public IEnumerable<string> Nodes => edges.Keys;

    /// <summary>The graph of type uses between namespaces that start with <paramref name="prefix"/>.</summary>
    public static NamespaceGraph FromTypeUses(IEnumerable<TypeUse> uses, string prefix)
    {
        static bool Ours(string ns, string prefix) => ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal);
        var graph = new NamespaceGraph();
        foreach (var use in uses)
        {
            if (!Ours(use.User.Namespace, prefix) || !Ours(use.Used.Namespace, prefix))
                continue;
            graph.AddNode(use.Used.Namespace);
            graph.AddEdge(use.User.Namespace, use.Used.Namespace, use);
        }
        return graph;
    }

    public void AddNode(string ns)
    {
        if (!edges.ContainsKey(ns))
            edges[ns] = new SortedDictionary<string, TypeUse?>(StringComparer.Ordinal);
    }

    /// <summary>Adds from -> to; the first example given for an edge is the one kept.</summary>
    public void AddEdge(string from, string to, TypeUse? example = null)
    {
        AddNode(from);
        AddNode(to);
        if (from != to)
            edges[from].TryAdd(to, example);
    }

    public bool HasEdge(string from, string to) => edges.TryGetValue(from, out var targets) && targets.ContainsKey(to);

    public IEnumerable<string> Successors(string ns) => edges.TryGetValue(ns, out var targets) ? targets.Keys : [];

    public TypeUse? Example(string from, string to) => edges[from][to];

    /// <summary>Every strongly connected component of more than one namespace (each holds at least one cycle), members sorted.</summary>
    public List<Cycle> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<Cycle>();

        void Connect(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Successors(v))
            {
                if (!index.TryGetValue(w, out var visited))
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], visited);
                }
            }
            if (low[v] != index[v])
                return;
            var members = new List<string>();
            string top;
            do
            {
                top = stack.Pop();
                onStack.Remove(top);
                members.Add(top);
            }
            while (top != v);
            if (members.Count > 1)
                components.Add(new Cycle(this, members));
        }

        foreach (var v in Nodes)
        {
            if (!index.ContainsKey(v))
                Connect(v);
        }
        return [.. components.OrderBy(c => c.Key, StringComparer.Ordinal)];
    }

    /// <summary>One strongly connected component: its namespaces and the edges between them.</summary>
    internal sealed class Cycle
    {
        private readonly NamespaceGraph graph;

        public Cycle(NamespaceGraph graph, IEnumerable<string> members)
        {
            this.graph = graph;
            Members = [.. members.Order(StringComparer.Ordinal)];
        }

        public IReadOnlyList<string> Members { get; }

        /// <summary>How the allow-list names it: the members, sorted, joined by " | ".</summary>
        public string Key => string.Join(" | ", Members);

        /// <summary>The edges inside the component, with one example type use each.</summary>
        public IEnumerable<string> Edges()
        {
            foreach (var from in Members)
            {
                foreach (var to in graph.Successors(from).Where(Members.Contains))
                {
                    var e = graph.Example(from, to);
                    yield return e == null
                        ? $"{from} -> {to}"
                        : $"{from} -> {to} ({e.User.Name} uses {e.Used.Name}: {e.Where})";
                }
            }
        }

        /// <summary>A shortest closed path through the first member, e.g. "A -> B -> A".</summary>
        public string ShortestLoop()
        {
            var start = Members[0];
            var previous = new Dictionary<string, string>();
            var queue = new Queue<string>([start]);
            while (queue.Count > 0)
            {
                var v = queue.Dequeue();
                foreach (var w in graph.Successors(v).Where(Members.Contains))
                {
                    if (w == start)
                    {
                        var path = new List<string> { v };
                        while (path[^1] != start)
                            path.Add(previous[path[^1]]);
                        path.Reverse();
                        path.Add(start);
                        return string.Join(" -> ", path);
                    }
                    if (previous.TryAdd(w, v))
                        queue.Enqueue(w);
                }
            }
            throw new InvalidOperationException($"{Key} is not strongly connected");
        }

        public string Describe() =>
            $"cycle {ShortestLoop()}{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Edges());
    }
}
