-- A published script version never changes (issue 4). The app has no code path that updates
-- one; this trigger makes the database refuse it too, whoever asks. Deletes (portal removal
-- cascades) are not affected.
CREATE OR REPLACE FUNCTION "script_version_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ScriptVersion % is published and cannot be changed', OLD."id" USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ScriptVersion_immutable" BEFORE UPDATE ON "ScriptVersion"
  FOR EACH ROW EXECUTE FUNCTION "script_version_immutable"();
