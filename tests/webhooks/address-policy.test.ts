import { describe, expect, it } from "vitest";
import { blockedAddressReason, checkTargetUrl, type TargetPolicy } from "../../src/webhooks/address-policy.js";

const strict: TargetPolicy = {
  allowInsecure: false,
  allowPrivate: false,
  allowedPorts: [80, 443],
  allowedAddresses: [],
};
const local: TargetPolicy = {
  allowInsecure: true,
  allowPrivate: false,
  allowedPorts: "any",
  allowedAddresses: ["127.0.0.1"],
};

describe("blockedAddressReason", () => {
  it.each([
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.10", "private"],
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["169.254.169.254", "metadata"],
    ["169.254.1.1", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.100.100.200", "carrier-grade NAT"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fd00::1", "unique local"],
    ["fd12:3456:789a::1", "unique local"],
    ["fc00::1", "unique local"],
    ["fd00:ec2::254", "metadata"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "metadata"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["2002:c0a8:0101::1", "private"],
    ["2001:db8::1", "documentation"],
    ["::127.0.0.1", "not a global unicast"],
  ])("refuses %s (%s)", (address, label) => {
    expect(blockedAddressReason(address)).toContain(label);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001::200e",
    "::ffff:8.8.8.8",
  ])("accepts the public address %s", (address) => {
    expect(blockedAddressReason(address)).toBeNull();
  });
});

describe("checkTargetUrl", () => {
  it("accepts a public https URL and keeps its path and query", () => {
    const checked = checkTargetUrl("https://hooks.example.com/in?team=7", strict);
    expect(checked).toMatchObject({ ok: true, host: "hooks.example.com" });
  });

  it.each([
    ["http://hooks.example.com/in", "https://"],
    ["ftp://hooks.example.com/in", "https://"],
    ["not a url", "absolute URL"],
    ["https://user:pw@hooks.example.com/", "user name or password"],
    ["https://hooks.example.com/#frag", "fragment"],
    ["https://10.0.0.1/hook", "private"],
    ["https://127.0.0.1/hook", "loopback"],
    ["https://2130706433/hook", "loopback"],
    ["https://0x7f.0.0.1/hook", "loopback"],
    ["https://[::1]/hook", "loopback"],
    ["https://[::ffff:127.0.0.1]/hook", "loopback"],
    ["https://169.254.169.254/latest/meta-data/", "metadata"],
    ["https://[fd00::1]/hook", "unique local"],
    ["https://[fd00:ec2::254]/", "metadata"],
    ["https://localhost/hook", "public host name"],
    ["https://LOCALHOST./hook", "public host name"],
    ["https://api.localhost/hook", "public host name"],
    ["https://metadata.google.internal/", "public host name"],
    ["https://printer.local/", "public host name"],
    ["https://intranet/", "public host name"],
    [`https://hooks.example.com/${"a".repeat(2000)}`, "at most"],
  ])("refuses %s", (url, message) => {
    const checked = checkTargetUrl(url, strict);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? "" : checked.message).toContain(message);
  });

  it("takes http:// only when insecure URLs are allowed", () => {
    expect(checkTargetUrl("http://hooks.example.com/", strict).ok).toBe(false);
    expect(
      checkTargetUrl("http://hooks.example.com/", {
        allowInsecure: true,
        allowPrivate: false,
        allowedPorts: "any",
        allowedAddresses: [],
      }).ok,
    ).toBe(true);
  });

  it("refuses 127.0.0.1 unless the policy names it, even with insecure URLs allowed", () => {
    expect(
      checkTargetUrl("http://127.0.0.1:8080/hook", {
        allowInsecure: true,
        allowPrivate: false,
        allowedPorts: "any",
        allowedAddresses: [],
      }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("loopback"),
    });
    expect(checkTargetUrl("http://127.0.0.1:8080/hook", local).ok).toBe(true);
    // The exemption is for that address only: its neighbours, ::1 and the name stay refused.
    expect(checkTargetUrl("http://127.0.0.2:8080/hook", local).ok).toBe(false);
    expect(checkTargetUrl("http://[::1]:8080/hook", local).ok).toBe(false);
    expect(checkTargetUrl("http://localhost:8080/hook", local).ok).toBe(false);
  });
});

describe("checkTargetUrl with private targets allowed", () => {
  const development: TargetPolicy = {
    allowInsecure: true,
    allowPrivate: true,
    allowedPorts: "any",
    allowedAddresses: [],
  };

  it.each([
    "http://127.0.0.1:4000/hooks",
    "http://[::1]:4000/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
    "http://10.1.2.3/hooks",
    "http://192.168.1.20:8080/hooks",
    "http://[fd12::1]/hooks",
    "http://localhost:4000/hooks",
    "http://receiver.internal/hooks",
  ])("accepts %s", (url) => {
    expect(checkTargetUrl(url, development).ok).toBe(true);
  });

  it.each([
    ["http://169.254.169.254/latest/meta-data/", "metadata"],
    ["http://[fd00:ec2::254]/", "metadata"],
    ["http://0.0.0.0:4000/", "unspecified"],
    ["http://224.0.0.251/", "multicast"],
  ])("still refuses %s", (url, message) => {
    const checked = checkTargetUrl(url, development);
    expect(checked.ok ? "" : checked.message).toContain(message);
  });

  it("limits ports to the configured ones", () => {
    const ports: TargetPolicy = { ...development, allowedPorts: [443] };
    expect(checkTargetUrl("https://hooks.example.com/", ports).ok).toBe(true);
    expect(checkTargetUrl("http://hooks.example.com/", ports)).toMatchObject({
      ok: false,
      message: expect.stringContaining("not 80"),
    });
  });
});
