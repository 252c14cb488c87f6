import ipaddr from "ipaddr.js";
/**
 * Whether an IP address is an ordinary public unicast address. Loopback, private (RFC 1918, unique
 * local), link-local (including cloud metadata at 169.254.169.254), carrier-grade NAT, unspecified,
 * multicast, broadcast, reserved and documentation ranges are not, and neither are IPv6 forms that
 * embed an IPv4 address (mapped, 6to4, Teredo, NAT64), since they can lead back to any of those.
 */
export function isPublicAddress(address) {
    let parsed;
    try {
        parsed = ipaddr.parse(address.replace(/^\[|\]$/g, ""));
    }
    catch {
        return false;
    }
    if (parsed.kind() === "ipv6" && parsed.isIPv4MappedAddress()) {
        parsed = parsed.toIPv4Address();
    }
    return parsed.range() === "unicast";
}
//# sourceMappingURL=address-policy.js.map