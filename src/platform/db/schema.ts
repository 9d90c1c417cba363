// Every table, for drizzle's relational queries and for typed access in one place.

export * from "../../assets/assets.schema.js";
export * from "../../drafting/drafting.schema.js";
export * from "../../integrations/segment/segment.schema.js";
export * from "../../loop/loop.schema.js";
export * from "../../mail/mail.schema.js";
export * from "../../moments/moments.schema.js";
export * from "../../publishing/publishing.schema.js";
export * from "../../recaps/recap-events.schema.js";
export * from "../../recaps/recaps.schema.js";
export * from "../../sharing/sharing.schema.js";
export * from "../../usage/usage.schema.js";
export * from "../../webhooks/webhooks.schema.js";
export * from "../idempotency/idempotency.schema.js";
export * from "../tenancy/tenancy.schema.js";
