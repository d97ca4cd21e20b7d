using System.Reflection.Metadata;

namespace KernelIpsec.Tests.Architecture;

/// <summary>
/// A top-level type by namespace and name. Nested types (closures, state machines, display classes, ours)
/// are named by the top-level type that declares them: they live in its namespace.
/// </summary>
internal sealed record TypeName(string Namespace, string Name)
{
    public static TypeName Of(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        while (type.IsNested)
            type = reader.GetTypeDefinition(type.GetDeclaringType());
        return new TypeName(reader.GetString(type.Namespace), reader.GetString(type.Name));
    }

    public static TypeName Of(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
            type = reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
        return new TypeName(reader.GetString(type.Namespace), reader.GetString(type.Name));
    }

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}.{Name}";
}
