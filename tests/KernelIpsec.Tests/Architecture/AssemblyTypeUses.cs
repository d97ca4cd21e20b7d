using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace KernelIpsec.Tests.Architecture;

/// <summary>"Type A uses type B", with where the use was seen (base type, field, method body, ...).</summary>
internal sealed record TypeUse(TypeName User, TypeName Used, string Where);

/// <summary>
/// Every type a compiled assembly's types use, read from its metadata and IL: base types, interfaces, generic
/// constraints, attributes, field/property/event/method signatures, locals, catch clauses and every token in
/// method bodies (calls, newobj, field access, casts, typeof, ldftn...). A type used only inside a method body
/// counts as much as one in a signature.
/// </summary>
internal sealed class AssemblyTypeUses
{
    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    private AssemblyTypeUses(string name, ImmutableArray<string> references, ImmutableArray<TypeName> definedTypes, ImmutableArray<TypeUse> uses)
    {
        Name = name;
        References = references;
        DefinedTypes = definedTypes;
        Uses = uses;
    }

    /// <summary>The assembly's simple name (KernelIpsec.Ike, racoon...).</summary>
    public string Name { get; }

    /// <summary>Simple names of the assemblies it references.</summary>
    public ImmutableArray<string> References { get; }

    /// <summary>Its top-level types.</summary>
    public ImmutableArray<TypeName> DefinedTypes { get; }

    public ImmutableArray<TypeUse> Uses { get; }

    public static AssemblyTypeUses Read(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        var types = new TypeNameProvider(reader);
        var uses = ImmutableArray.CreateBuilder<TypeUse>();
        var defined = new HashSet<TypeName>();

        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var user = TypeName.Of(reader, handle);
            if (!type.IsNested)
                defined.Add(user);
            void Add(string where, IEnumerable<TypeName> used)
            {
                foreach (var u in used)
                {
                    if (u != user)
                        uses.Add(new TypeUse(user, u, where));
                }
            }
            void AddAttributes(string where, CustomAttributeHandleCollection attributes)
            {
                foreach (var a in attributes)
                    Add($"attribute on {where}", types.Resolve(reader.GetCustomAttribute(a).Constructor));
            }
            void AddGenericConstraints(GenericParameterHandleCollection parameters)
            {
                foreach (var p in parameters)
                {
                    var parameter = reader.GetGenericParameter(p);
                    AddAttributes("generic parameter", parameter.GetCustomAttributes());
                    foreach (var c in parameter.GetConstraints())
                        Add("generic constraint", types.Resolve(reader.GetGenericParameterConstraint(c).Type));
                }
            }

            Add("base type", types.Resolve(type.BaseType));
            foreach (var i in type.GetInterfaceImplementations())
                Add("interface", types.Resolve(reader.GetInterfaceImplementation(i).Interface));
            AddAttributes("type", type.GetCustomAttributes());
            AddGenericConstraints(type.GetGenericParameters());

            foreach (var f in type.GetFields())
            {
                var field = reader.GetFieldDefinition(f);
                var where = $"field {reader.GetString(field.Name)}";
                Add(where, field.DecodeSignature(types, null));
                AddAttributes(where, field.GetCustomAttributes());
            }
            foreach (var p in type.GetProperties())
            {
                var property = reader.GetPropertyDefinition(p);
                var where = $"property {reader.GetString(property.Name)}";
                Add(where, TypeNameProvider.Flatten(property.DecodeSignature(types, null)));
                AddAttributes(where, property.GetCustomAttributes());
            }
            foreach (var e in type.GetEvents())
            {
                var ev = reader.GetEventDefinition(e);
                var where = $"event {reader.GetString(ev.Name)}";
                Add(where, types.Resolve(ev.Type));
                AddAttributes(where, ev.GetCustomAttributes());
            }
            foreach (var m in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(m);
                var where = $"method {reader.GetString(method.Name)}";
                Add($"signature of {where}", TypeNameProvider.Flatten(method.DecodeSignature(types, null)));
                AddAttributes(where, method.GetCustomAttributes());
                AddGenericConstraints(method.GetGenericParameters());
                foreach (var p in method.GetParameters())
                    AddAttributes($"parameter of {where}", reader.GetParameter(p).GetCustomAttributes());
                if (method.RelativeVirtualAddress == 0)
                    continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                    Add($"local of {where}", types.Resolve(body.LocalSignature));
                foreach (var region in body.ExceptionRegions)
                    Add($"catch in {where}", types.Resolve(region.CatchType));
                foreach (var token in Tokens(body.GetILReader()))
                    Add($"body of {where}", types.Resolve(token));
            }
            foreach (var i in type.GetMethodImplementations())
            {
                var impl = reader.GetMethodImplementation(i);
                Add("explicit implementation", types.Resolve(impl.MethodDeclaration));
            }
        }

        var references = reader.AssemblyReferences
            .Select(r => reader.GetString(reader.GetAssemblyReference(r).Name))
            .ToImmutableArray();
        var name = reader.GetString(reader.GetAssemblyDefinition().Name);
        return new AssemblyTypeUses(name, references, [.. defined], uses.ToImmutable());
    }

    /// <summary>The metadata tokens in a method body's IL (type, method, field, signature operands).</summary>
    private static IEnumerable<EntityHandle> Tokens(BlobReader il)
    {
        var tokens = new List<EntityHandle>();
        while (il.RemainingBytes > 0)
        {
            short value = il.ReadByte();
            if (value == 0xFE)
                value = unchecked((short)(0xFE00 | il.ReadByte()));
            if (!OperandTypes.TryGetValue(value, out var operand))
                throw new BadImageFormatException($"unknown IL opcode 0x{value:X4} at offset {il.Offset - 1}");
            switch (operand)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                case OperandType.InlineSig:
                    tokens.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineSwitch:
                    // the count first: `Offset += 4 * ReadInt32()` would read Offset before the count moves it
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineBrTarget:
                case OperandType.InlineI:
                case OperandType.InlineString:
                case OperandType.ShortInlineR:
                    il.Offset += 4;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    throw new BadImageFormatException($"unexpected operand type {operand} of opcode 0x{value:X4}");
            }
        }
        return tokens;
    }
}
