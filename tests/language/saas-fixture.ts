// A small B2B SaaS project with the awkward cases of the language tests:
// usage two links away from the account, usage before signup, a customer who
// joins mid-period, a customer with no rows in a component.

export const SAAS_DATA: Record<string, string> = {
  // a3 joins mid-February and has no usage; a4 has usage only before signup.
  'accounts.csv':
    'account_id,signup_date,tier\na1,2024-01-10,pro\na2,2024-02-01,basic\na3,2024-02-15,pro\na4,2024-01-20,basic\n',
  'subscriptions.csv':
    'subscription_id,account_id,plan,mrr,started_at,ended_at\ns1,a1,trial,0,2024-01-10,2024-01-20\ns2,a1,pro,100,2024-01-20,\ns3,a2,basic,30,2024-02-01,\ns4,a4,basic,30,2024-01-20,\n',
  // u1: before a1's signup; u2: a count of 0; u3: a1's first value (two links away); u6: no such subscription.
  'usage.csv':
    'usage_id,subscription_id,used_on,count\nu1,s1,2024-01-05,3\nu2,s1,2024-01-12,0\nu3,s2,2024-01-20,2\nu4,s3,2024-02-05,1\nu5,s3,2024-02-03,4\nu6,s9,2024-01-01,1\nu7,s4,2024-01-02,7\n',
  'tickets.csv': 'ticket_id,account_id,opened_at\nt1,a1,2024-01-11\n',
};

export const SAAS_MODEL = `
customer accounts from "accounts.csv" {
  key account_id
  time signup_date
  dimension tier
  dimension first_value_date = min(usage.used_on) where usage.count > 0 and usage.used_on >= signup_date
  dimension first_paid_use = min(usage.used_on) where subscriptions.mrr > 0
  measure accounts_count = count()
  measure activated = count() where first_value_date is not null
  measure days_to_value = avg(date_diff("day", signup_date, first_value_date))
}
source subscriptions from "subscriptions.csv" {
  key subscription_id
  customer account_id
  time started_at
  dimension plan
}
source usage from "usage.csv" {
  key usage_id
  join subscriptions on subscription_id
  time used_on
  measure usage_total = sum(count)
}
source tickets from "tickets.csv" {
  key ticket_id
  customer account_id
  time opened_at
}
kpi activation {
  numerator activated
  denominator accounts_count
  grain month
}
kpi time_to_value {
  numerator days_to_value
  grain month
}
`;
