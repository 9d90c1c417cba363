-- custom:begin
-- Every serving process keeps the public asset keys it has just found published
-- (src/assets/public-verdicts.ts) and forgets them all when this channel speaks: whenever a
-- published recap changes state or version, is deleted, or one of its asset rows is replaced or
-- removed, whichever code or person wrote it. One notification per transaction (PostgreSQL folds
-- identical ones), delivered at commit.
CREATE FUNCTION "notify_public_asset_verdicts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('public_asset_verdicts', '');
  RETURN NULL;
END
$$;--> statement-breakpoint
-- An asset row of a recap that is not published was never public: nothing to forget.
CREATE FUNCTION "notify_public_asset_row_verdicts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "recaps" WHERE "id" = OLD."recap_id" AND "state" = 'published') THEN
    PERFORM pg_notify('public_asset_verdicts', '');
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "recaps_public_asset_verdicts"
  AFTER UPDATE OF "state", "version" OR DELETE ON "recaps"
  FOR EACH ROW WHEN (OLD."state" = 'published')
  EXECUTE FUNCTION "notify_public_asset_verdicts"();--> statement-breakpoint
CREATE TRIGGER "recap_assets_public_asset_verdicts"
  AFTER UPDATE OF "asset_key", "recap_version" OR DELETE ON "recap_assets"
  FOR EACH ROW EXECUTE FUNCTION "notify_public_asset_row_verdicts"();
-- custom:end
