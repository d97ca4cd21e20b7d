using System.Net;
using System.Security.Cryptography.X509Certificates;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Phase1;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>
/// asn1dn identities against a subject in the usual DER order (C, O, CN, as OpenSSL, charon and the
/// interop PKI write it): racoon.conf's "C=XX, O=Org, CN=host" names it in that same order.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class DnIdentityOrderTests
{
    private static byte[] DerOrderSubject()
    {
        var builder = new X500DistinguishedNameBuilder();
        // The builder writes the last added component first in DER.
        builder.AddCommonName("left.kernelipsec.test");
        builder.AddOrganizationName("kernelipsec-interop");
        builder.AddCountryOrRegion("XX");
        return builder.Build().RawData;
    }

    [Test]
    public void PeersIdentifierInRacoonTextOrderMatchesTheDerOrderSubject()
    {
        var peer = new IdentificationPayload(IdType.DerAsn1Dn, 0, 0, DerOrderSubject());
        var configured = new IdentifierConfig(IdentifierType.Asn1Dn, "C=XX, O=kernelipsec-interop, CN=left.kernelipsec.test");
        var reversed = new IdentifierConfig(IdentifierType.Asn1Dn, "CN=left.kernelipsec.test, O=kernelipsec-interop, C=XX");

        Assert.That(Identities.Matches(peer, configured, IPAddress.Loopback), Is.True);
        Assert.That(Identities.Matches(peer, reversed, IPAddress.Loopback), Is.False);
        Assert.That(Identities.Text(peer), Is.EqualTo("C=XX, O=kernelipsec-interop, CN=left.kernelipsec.test"));
    }

    [Test]
    public void MyIdentifierTextIsSentInTheOrderWritten()
    {
        var remote = new RemoteConfig { Name = "10.77.0.2", MyIdentifier = new IdentifierConfig(IdentifierType.Asn1Dn, "C=XX, O=kernelipsec-interop, CN=left.kernelipsec.test") };
        var own = Identities.Own(remote, new IPEndPoint(IPAddress.Loopback, 500), null);

        Assert.That(own.IdType, Is.EqualTo(IdType.DerAsn1Dn));
        Assert.That(new X500DistinguishedName(own.Data).EnumerateRelativeDistinguishedNames(reversed: false).First().GetSingleElementType().Value,
            Is.EqualTo("2.5.4.6"), "countryName first in DER");
    }
}
