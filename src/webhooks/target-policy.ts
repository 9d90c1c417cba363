import type { Config } from "../config.js";
import type { TargetPolicy } from "./address-policy.js";

/** The SSRF policy the configuration asks for: https only and public addresses only, by default. */
export function targetPolicy(
  config: Pick<
    Config,
    "webhooksAllowInsecure" | "webhooksAllowPrivateTargets" | "webhooksAllowedPorts" | "webhooksTestAllowedAddresses"
  >,
): TargetPolicy {
  return {
    allowInsecure: config.webhooksAllowInsecure,
    allowPrivate: config.webhooksAllowPrivateTargets,
    allowedPorts: config.webhooksAllowedPorts,
    allowedAddresses: config.webhooksTestAllowedAddresses ?? [],
  };
}
