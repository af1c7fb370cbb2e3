-- A message row is updated twice after its insert (claimed for submission, then its first
-- level). With full pages every update wrote a new entry in each of the table's five indexes;
-- room on the page lets Postgres keep the new version beside the old one (a HOT update: no
-- index writes), as none of the updated columns is indexed. Applies to pages written from now on.
ALTER TABLE "sending"."messages" SET (fillfactor = 70);
