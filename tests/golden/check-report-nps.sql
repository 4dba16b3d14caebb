select
  'surveys' as "source",
  'nps_range' as "check",
  count(*) as "excluded"
from read_csv('/data/surveys.csv') as "surveys"
where ("surveys"."nps" between 0 and 10) is not true
