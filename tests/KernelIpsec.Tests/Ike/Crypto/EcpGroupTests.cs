using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Crypto;

[TestFixture, Category(Tier.Unit)]
public class EcpGroupTests
{
    private static readonly DhGroups Groups = DhGroups.CreateDefault();

    // RFC 5903 section 8: i, g^i (x, y), r, g^r (x, y), g^ir x. IKE carries g^i as x | y.
    private static readonly object[] Rfc5903Vectors =
    [
        new object[]
        {
            DhGroupId.Ecp256,
            "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
            "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180" +
            "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
            "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
            "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63" +
            "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
            "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE",
        },
        new object[]
        {
            DhGroupId.Ecp384,
            "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194",
            "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA" +
            "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C",
            "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC",
            "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571" +
            "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C",
            "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746",
        },
        new object[]
        {
            DhGroupId.Ecp521,
            "0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A095AA85A30FE1C2952C6771D937BA9777F5957B2639BAB072462F68C27A57382D4A52",
            "0015417E84DBF28C0AD3C278713349DC7DF153C897A1891BD98BAB4357C9ECBEE1E3BF42E00B8E380AEAE57C2D107564941885942AF5A7F4601723C4195D176CED3E" +
            "017CAE20B6641D2EEB695786D8C946146239D099E18E1D5A514C739D7CB4A10AD8A788015AC405D7799DC75E7B7D5B6CF2261A6A7F1507438BF01BEB6CA3926F9582",
            "0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E9C677D600B343757A3BDBF2A3163E4C2F869CCA7458AA4A4EFFC311F5CB151685EB9",
            "00D0B3975AC4B799F5BEA16D5E13E9AF971D5E9B984C9F39728B5E5739735A219B97C356436ADC6E95BB0352F6BE64A6C2912D4EF2D0433CED2B6171640012D9460F" +
            "015C68226383956E3BD066E797B623C27CE0EAC2F551A10C2C724D9852077B87220B6536C5C408A1D2AEBB8E86D678AE49CB57091F4732296579AB44FCD17F0FC56A",
            "01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04D1427E73CA4BAA240A34786859810C06B3C715A3A8CC3151F2BEE417996D19F3DDEA",
        },
    ];

    [TestCaseSource(nameof(Rfc5903Vectors))]
    public void Rfc5903_public_values_and_shared_secret(DhGroupId id, string i, string gi, string r, string gr, string gir)
    {
        var group = (EcpGroup)Groups.Find(id)!;
        using var initiator = group.ImportKeyPair(Convert.FromHexString(i));
        using var responder = group.ImportKeyPair(Convert.FromHexString(r));

        Assert.That(Convert.ToHexString(initiator.PublicValue.Span), Is.EqualTo(gi));
        Assert.That(Convert.ToHexString(responder.PublicValue.Span), Is.EqualTo(gr));
        Assert.That(Convert.ToHexString(initiator.DeriveSharedSecret(Convert.FromHexString(gr))), Is.EqualTo(gir));
        Assert.That(Convert.ToHexString(responder.DeriveSharedSecret(Convert.FromHexString(gi))), Is.EqualTo(gir));
    }

    [TestCase(DhGroupId.Ecp256, 64, 32)]
    [TestCase(DhGroupId.Ecp384, 96, 48)]
    [TestCase(DhGroupId.Ecp521, 132, 66)]
    public void Generated_key_pairs_agree(DhGroupId id, int publicLength, int secretLength)
    {
        var group = Groups.Find(id)!;
        using var a = group.GenerateKeyPair();
        using var b = group.GenerateKeyPair();
        Assert.That(a.PublicValue.Length, Is.EqualTo(publicLength));
        var ab = a.DeriveSharedSecret(b.PublicValue.Span);
        Assert.That(ab, Has.Length.EqualTo(secretLength));
        Assert.That(b.DeriveSharedSecret(a.PublicValue.Span), Is.EqualTo(ab));
    }

    [Test]
    public void Point_off_the_curve_is_refused()
    {
        var group = Groups.Find(DhGroupId.Ecp256)!;
        // RFC 5903 8.1's g^r with the last bit of x flipped
        var offCurve = Convert.FromHexString(
            "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF62" +
            "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB");
        using var ours = group.GenerateKeyPair();
        var e = Assert.Throws<DhPublicValueException>(() => ours.DeriveSharedSecret(offCurve));
        Assert.That(e!.Message, Is.EqualTo("ecp256: peer's public value is not a point on the curve"));
    }

    [Test]
    public void Coordinate_not_below_p_is_refused()
    {
        var group = Groups.Find(DhGroupId.Ecp256)!;
        // x = p (congruent to 0), y = the base point's y
        var value = Convert.FromHexString(
            "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF" +
            "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5");
        var e = Assert.Throws<DhPublicValueException>(() => group.ValidatePublicValue(value));
        Assert.That(e!.Message, Does.Contain("coordinate not below the field prime"));
    }

    [Test]
    public void Wrong_length_and_all_zero_are_refused()
    {
        var group = Groups.Find(DhGroupId.Ecp384)!;
        var e = Assert.Throws<DhPublicValueException>(() => group.ValidatePublicValue(new byte[97]));
        Assert.That(e!.Message, Is.EqualTo("ecp384: peer's public value is 97 bytes, must be 96 (x | y, RFC 5903 section 7)"));
        Assert.Throws<DhPublicValueException>(() => group.ValidatePublicValue(new byte[96]));
    }
}
