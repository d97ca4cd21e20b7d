// Two namespaces that use each other only inside method bodies: NamespaceCycleTests reads the compiled
// test assembly and must find this cycle, proving that a use in a body counts as much as one in a signature.
namespace KernelIpsec.Tests.Architecture.Sample.Left
{
    internal static class Caller
    {
        public static int Call() => new Right.Callee().Answer();

        public static int Seed() => 42;
    }
}

namespace KernelIpsec.Tests.Architecture.Sample.Right
{
    internal sealed class Callee
    {
        public int Answer()
        {
            var seed = Left.Caller.Seed;
            return seed();
        }
    }
}
