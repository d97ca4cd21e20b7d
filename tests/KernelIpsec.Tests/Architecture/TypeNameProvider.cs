using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace KernelIpsec.Tests.Architecture;

/// <summary>
/// Decodes a metadata signature (field, method, local, type specification) into every type it names,
/// generic arguments and array elements included; primitives and generic parameters name nothing.
/// </summary>
internal sealed class TypeNameProvider(MetadataReader reader) : ISignatureTypeProvider<ImmutableArray<TypeName>, object?>
{
    private static readonly ImmutableArray<TypeName> None = [];

    public ImmutableArray<TypeName> GetPrimitiveType(PrimitiveTypeCode typeCode) => None;

    public ImmutableArray<TypeName> GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) =>
        [TypeName.Of(r, handle)];

    public ImmutableArray<TypeName> GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind) =>
        [TypeName.Of(r, handle)];

    public ImmutableArray<TypeName> GetTypeFromSpecification(MetadataReader r, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        r.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public ImmutableArray<TypeName> GetSZArrayType(ImmutableArray<TypeName> elementType) => elementType;

    public ImmutableArray<TypeName> GetArrayType(ImmutableArray<TypeName> elementType, ArrayShape shape) => elementType;

    public ImmutableArray<TypeName> GetByReferenceType(ImmutableArray<TypeName> elementType) => elementType;

    public ImmutableArray<TypeName> GetPointerType(ImmutableArray<TypeName> elementType) => elementType;

    public ImmutableArray<TypeName> GetPinnedType(ImmutableArray<TypeName> elementType) => elementType;

    public ImmutableArray<TypeName> GetGenericInstantiation(ImmutableArray<TypeName> genericType, ImmutableArray<ImmutableArray<TypeName>> typeArguments) =>
        genericType.AddRange(typeArguments.SelectMany(a => a));

    public ImmutableArray<TypeName> GetGenericMethodParameter(object? genericContext, int index) => None;

    public ImmutableArray<TypeName> GetGenericTypeParameter(object? genericContext, int index) => None;

    public ImmutableArray<TypeName> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeName>> signature) => Flatten(signature);

    public ImmutableArray<TypeName> GetModifiedType(ImmutableArray<TypeName> modifier, ImmutableArray<TypeName> unmodifiedType, bool isRequired) =>
        unmodifiedType.AddRange(modifier);

    public static ImmutableArray<TypeName> Flatten(MethodSignature<ImmutableArray<TypeName>> signature) =>
        signature.ReturnType.AddRange(signature.ParameterTypes.SelectMany(p => p));

    /// <summary>The types a token in IL or in a table row names: a type, or a member with its declaring type and signature.</summary>
    public ImmutableArray<TypeName> Resolve(EntityHandle handle)
    {
        if (handle.IsNil)
            return None;
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return [TypeName.Of(reader, (TypeDefinitionHandle)handle)];
            case HandleKind.TypeReference:
                return [TypeName.Of(reader, (TypeReferenceHandle)handle)];
            case HandleKind.TypeSpecification:
                return reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
            case HandleKind.FieldDefinition:
                {
                    var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    return [TypeName.Of(reader, field.GetDeclaringType()), .. field.DecodeSignature(this, null)];
                }
            case HandleKind.MethodDefinition:
                {
                    var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    return [TypeName.Of(reader, method.GetDeclaringType()), .. Flatten(method.DecodeSignature(this, null))];
                }
            case HandleKind.MemberReference:
                {
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    var parent = Resolve(member.Parent);
                    return member.GetKind() == MemberReferenceKind.Field
                        ? parent.AddRange(member.DecodeFieldSignature(this, null))
                        : parent.AddRange(Flatten(member.DecodeMethodSignature(this, null)));
                }
            case HandleKind.MethodSpecification:
                {
                    var spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return Resolve(spec.Method).AddRange(spec.DecodeSignature(this, null).SelectMany(a => a));
                }
            case HandleKind.StandaloneSignature:
                {
                    var signature = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    return signature.GetKind() == StandaloneSignatureKind.LocalVariables
                        ? [.. signature.DecodeLocalSignature(this, null).SelectMany(l => l)]
                        : Flatten(signature.DecodeMethodSignature(this, null));
                }
            default:
                // module references, assembly files and the like name no type of ours
                return None;
        }
    }
}
