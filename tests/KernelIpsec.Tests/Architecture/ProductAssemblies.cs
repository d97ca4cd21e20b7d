namespace KernelIpsec.Tests.Architecture;

/// <summary>The compiled src/ assemblies, read from beside the test assembly (the build copies them there).</summary>
internal static class ProductAssemblies
{
    public const string Netlink = "KernelIpsec.Netlink";
    public const string Ike = "KernelIpsec.Ike";
    public const string Setkey = "setkey";
    public const string Keyd = "racoon";
    public const string Racoonctl = "racoonctl";

    private static readonly Lazy<IReadOnlyDictionary<string, AssemblyTypeUses>> All = new(() =>
        new[] { Netlink, Ike, Setkey, Keyd, Racoonctl }.ToDictionary(n => n, Load));

    public static IReadOnlyDictionary<string, AssemblyTypeUses> Read() => All.Value;

    private static AssemblyTypeUses Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, name + ".dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{name}.dll is not beside the test assembly: is it still a ProjectReference of the test project?", path);
        var read = AssemblyTypeUses.Read(path);
        if (read.Name != name)
            throw new InvalidOperationException($"{path} holds assembly {read.Name}");
        return read;
    }
}
