// StyleFix: renames private and internal instance fields written `_camelCase` to `camelCase` (the house style, see
// the repository's .editorconfig) with Roslyn's rename, which sees every reference across the solution and
// qualifies a use with `this.` where a parameter or local of the new name would otherwise capture it.
// Everything else in the house style is fixed by `dotnet format` (scripts/style-fix.sh runs both).
//
//   dotnet run --project scripts/tools/StyleFix -- KernelIpsec.sln [--dry-run]
// --dry-run writes nothing and exits 1 if a field would be renamed.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.CodeAnalysis.Rename;

if (args.Length is < 1 or > 2 || (args.Length == 2 && args[1] != "--dry-run"))
{
    Console.Error.WriteLine("usage: StyleFix SOLUTION.sln [--dry-run]");
    return 2;
}
var dryRun = args.Length == 2;

using var workspace = MSBuildWorkspace.Create();
workspace.RegisterWorkspaceFailedHandler(e =>
{
    if (e.Diagnostic.Kind == WorkspaceDiagnosticKind.Failure)
        Console.Error.WriteLine($"workspace: {e.Diagnostic.Message}");
});
var solution = await workspace.OpenSolutionAsync(args[0]);
var original = solution;
var renamed = 0;
var skipped = new List<string>();

// One field at a time: each rename changes the solution, so the next field is looked up again in the new one.
while (await NextFieldAsync(solution, skipped) is { } field)
{
    var newName = field.Name.TrimStart('_');
    var where = $"{field.ContainingType.ToDisplayString()}.{field.Name}";
    if (field.ContainingType.GetMembers(newName).Length > 0)
    {
        skipped.Add(where);
        Console.Error.WriteLine($"skipped {where}: {field.ContainingType.Name} already has a member {newName}");
        continue;
    }
    solution = await Renamer.RenameSymbolAsync(solution, field, new SymbolRenameOptions(), newName);
    renamed++;
    Console.WriteLine($"{where} -> {newName}");
}

Console.WriteLine($"{renamed} fields {(dryRun ? "to rename" : "renamed")}, {skipped.Count} skipped");
if (dryRun)
    return renamed == 0 && skipped.Count == 0 ? 0 : 1;
if (renamed == 0)
    return skipped.Count == 0 ? 0 : 1;
if (!workspace.TryApplyChanges(solution))
{
    Console.Error.WriteLine("could not write the changes back");
    return 1;
}
var changed = solution.GetChanges(original).GetProjectChanges().SelectMany(p => p.GetChangedDocuments()).Count();
Console.WriteLine($"{changed} files written");
return skipped.Count == 0 ? 0 : 1;

// The first field declared in source with a `_` prefix that is not public (public fields are API, named
// PascalCase, and never carry the prefix), in a project of the solution.
static async Task<IFieldSymbol?> NextFieldAsync(Solution solution, List<string> skipped)
{
    foreach (var project in solution.Projects)
    {
        var compilation = await project.GetCompilationAsync();
        if (compilation == null)
            continue;
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath.Contains("/obj/", StringComparison.Ordinal))
                continue;
            var model = compilation.GetSemanticModel(tree);
            var root = await tree.GetRootAsync();
            foreach (var node in root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax>())
            {
                if (model.GetDeclaredSymbol(node) is not IFieldSymbol field)
                    continue;
                if (field.IsImplicitlyDeclared || field.IsConst || field.DeclaredAccessibility == Accessibility.Public)
                    continue;
                if (field.Name.Length < 2 || field.Name[0] != '_' || !char.IsLower(field.Name[1]))
                    continue;
                if (skipped.Contains($"{field.ContainingType.ToDisplayString()}.{field.Name}"))
                    continue;
                return field;
            }
        }
    }
    return null;
}
