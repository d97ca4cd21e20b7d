// StyleFix: renames non-public fields written `_camelCase` (or `PascalCase`) to `camelCase` (the house style, see the repository's
// .editorconfig) with Roslyn's rename, which sees every reference across the solution. Before renaming, every
// unqualified use of an instance field becomes `this._field`, so no parameter or local of the new name can capture
// it (Roslyn's own conflict check misses `T value = _value;`, which would become `T value = value;`);
// `dotnet format` then drops the `this.` wherever nothing shadows the field (IDE0003). The solution must compile
// with no more errors afterwards than before, or nothing is written.
// Everything else in the house style is fixed by `dotnet format` (scripts/style-fix.sh runs both).
//
//   dotnet run --project scripts/tools/StyleFix -- KernelIpsec.sln [--dry-run]
// --dry-run writes nothing and exits 1 if a field would be renamed.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;
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
var errorsBefore = await ErrorsAsync(solution);
var renamed = 0;
var skipped = new List<string>();
var qualified = new HashSet<string>();

// One field at a time: each rename changes the solution, so the next field is looked up again in the new one.
while (await NextFieldAsync(solution, skipped) is { } field)
{
    var newName = CamelCase(field.Name);
    var where = $"{field.ContainingType.ToDisplayString()}.{field.Name}";
    if (field.ContainingType.GetMembers(newName).Length > 0)
    {
        skipped.Add(where);
        Console.Error.WriteLine($"skipped {where}: {field.ContainingType.Name} already has a member {newName}");
        continue;
    }
    if (!field.IsStatic && qualified.Add(where))
    {
        // qualify first, then look the field up again in the changed solution
        solution = await QualifyUsesAsync(solution, field);
        continue;
    }
    solution = await Renamer.RenameSymbolAsync(solution, field, new SymbolRenameOptions(), newName);
    renamed++;
    Console.WriteLine($"{where} -> {newName}");
}

Console.WriteLine($"{renamed} fields {(dryRun ? "to rename" : "renamed")}, {skipped.Count} skipped");
var errorsAfter = await ErrorsAsync(solution);
if (errorsAfter.Count > errorsBefore.Count)
{
    foreach (var e in errorsAfter.Except(errorsBefore))
        Console.Error.WriteLine($"new error: {e}");
    Console.Error.WriteLine($"the renames would add compile errors ({errorsBefore.Count} before, {errorsAfter.Count} after): nothing written");
    return 1;
}
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

// `_camel` and `Pascal` -> `camel` (a field's house-style name).
static string CamelCase(string name)
{
    var bare = name.TrimStart('_');
    return bare.Length == 0 ? bare : char.ToLowerInvariant(bare[0]) + bare[1..];
}

// The first field declared in source, not public (public fields are API and PascalCase), not a constant or static
// readonly (PascalCase too), whose name is not camelCase, in a project of the solution.
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
                // static readonly fields are PascalCase by the house style, like constants
                if (field.IsStatic && field.IsReadOnly)
                    continue;
                if (CamelCase(field.Name) == field.Name || CamelCase(field.Name).Length == 0)
                    continue;
                if (skipped.Contains($"{field.ContainingType.ToDisplayString()}.{field.Name}"))
                    continue;
                return field;
            }
        }
    }
    return null;
}

// Every unqualified use of an instance field as `this.field` (not in object or `with` initializers and property
// patterns, where the name is a member of another object, nor in documentation comments).
static async Task<Solution> QualifyUsesAsync(Solution solution, IFieldSymbol field)
{
    var references = await SymbolFinder.FindReferencesAsync(field, solution);
    var byDocument = references.SelectMany(r => r.Locations).GroupBy(l => l.Document.Id);
    foreach (var group in byDocument)
    {
        var document = solution.GetDocument(group.Key)!;
        var root = (await document.GetSyntaxRootAsync())!;
        var names = new List<IdentifierNameSyntax>();
        foreach (var location in group)
        {
            var token = root.FindToken(location.Location.SourceSpan.Start, findInsideTrivia: true);
            if (token.Parent is not IdentifierNameSyntax name || name.IsPartOfStructuredTrivia())
                continue;
            var parent = name.Parent;
            if (parent is MemberAccessExpressionSyntax access && access.Name == name)
                continue;
            if (parent is MemberBindingExpressionSyntax or NameColonSyntax or ExpressionColonSyntax)
                continue;
            if (parent is AssignmentExpressionSyntax assignment && assignment.Left == name && assignment.Parent is InitializerExpressionSyntax)
                continue;
            names.Add(name);
        }
        var newRoot = root.ReplaceNodes(names, (old, _) =>
            SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    SyntaxFactory.ThisExpression(),
                    old.WithoutTrivia())
                .WithTriviaFrom(old));
        solution = solution.WithDocumentSyntaxRoot(group.Key, newRoot);
    }
    return solution;
}

// The compile errors of every project, as "file(line): id message" (to compare before and after).
static async Task<HashSet<string>> ErrorsAsync(Solution solution)
{
    var errors = new HashSet<string>();
    foreach (var project in solution.Projects)
    {
        var compilation = await project.GetCompilationAsync();
        if (compilation == null)
            continue;
        foreach (var d in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
            errors.Add($"{d.Location.GetLineSpan().Path}({d.Location.GetLineSpan().StartLinePosition.Line + 1}): {d.Id} {d.GetMessage()}");
    }
    return errors;
}
