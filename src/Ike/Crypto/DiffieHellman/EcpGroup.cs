using System.Numerics;
using System.Security.Cryptography;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>
/// An ECP group of RFC 5903 (NIST P-256, P-384, P-521) through the platform's ECDH
/// (System.Security.Cryptography.ECDiffieHellman: OpenSSL on Linux). IKEv1 carries the public
/// value as x | y, each coordinate left-padded to the field's length (RFC 5903 section 7: no
/// point-compression octet), and g^xy is the x coordinate of the shared point (section 7).
/// Peer points are checked here (coordinates below p, y^2 = x^3 - 3x + b) before the platform
/// sees them, so the error is the same on every platform and says which check failed.
/// </summary>
public sealed class EcpGroup : DhGroup
{
    private readonly BigInteger p;
    private readonly BigInteger b;

    public EcpGroup(DhGroupId id, string name, ECCurve curve, int coordinateLength)
        : base(id, name, 2 * coordinateLength, coordinateLength)
    {
        Curve = curve;
        CoordinateLength = coordinateLength;
        using var probe = ECDiffieHellman.Create(curve);
        var explicitCurve = probe.ExportExplicitParameters(false).Curve;
        p = new BigInteger(explicitCurve.Prime, isUnsigned: true, isBigEndian: true);
        b = new BigInteger(explicitCurve.B, isUnsigned: true, isBigEndian: true);
        var a = new BigInteger(explicitCurve.A, isUnsigned: true, isBigEndian: true);
        if (a != p - 3)
            throw new ArgumentException($"{name}: curve is not of the a = -3 form RFC 5903 uses", nameof(curve));
    }

    public ECCurve Curve { get; }

    /// <summary>Length in bytes of one coordinate (32, 48, 66).</summary>
    public int CoordinateLength { get; }

    public override DhKeyPair GenerateKeyPair() => new EcpKeyPair(this, ECDiffieHellman.Create(Curve));

    /// <summary>A key pair from a known private key (RFC 5903's test vectors); not for real exchanges.</summary>
    public DhKeyPair ImportKeyPair(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != CoordinateLength)
            throw new ArgumentException($"{Name}: private key must be {CoordinateLength} bytes", nameof(privateKey));
        var parameters = new ECParameters { Curve = Curve, D = privateKey.ToArray() };
        return new EcpKeyPair(this, ECDiffieHellman.Create(parameters));
    }

    public override void ValidatePublicValue(ReadOnlySpan<byte> publicValue)
    {
        if (publicValue.Length != PublicValueLength)
            throw new DhPublicValueException(this, $"is {publicValue.Length} bytes, must be {PublicValueLength} (x | y, RFC 5903 section 7)");
        var x = new BigInteger(publicValue[..CoordinateLength], isUnsigned: true, isBigEndian: true);
        var y = new BigInteger(publicValue[CoordinateLength..], isUnsigned: true, isBigEndian: true);
        if (x >= p || y >= p)
            throw new DhPublicValueException(this, "has a coordinate not below the field prime");
        var left = BigInteger.ModPow(y, 2, p);
        var right = ((BigInteger.ModPow(x, 3, p) - 3 * x + b) % p + p) % p;
        if (left != right)
            throw new DhPublicValueException(this, "is not a point on the curve");
    }

    internal ECParameters PublicParameters(ReadOnlySpan<byte> publicValue) => new()
    {
        Curve = Curve,
        Q = new ECPoint
        {
            X = publicValue[..CoordinateLength].ToArray(),
            Y = publicValue[CoordinateLength..].ToArray(),
        },
    };
}
