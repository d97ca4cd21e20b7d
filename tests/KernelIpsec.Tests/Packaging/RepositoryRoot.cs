namespace KernelIpsec.Tests.Packaging;

/// <summary>The checkout the test assembly was built from (the directory holding KernelIpsec.sln).</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KernelIpsec.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no KernelIpsec.sln above {AppContext.BaseDirectory}");
    }
}
