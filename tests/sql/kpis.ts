// The KPIs of the golden cases, over the shop's sources.

export const SHOP_KPIS = `
kpi nps {
  numerator promoters - detractors
  denominator responses
  scale 100
  segment by tier
  grain month
  target >= 40
  warn < 30
  critical < 0
  critical < 60 for tier = "silver"
}

kpi nps_sampled {
  numerator promoters - detractors
  denominator responses
  scale 100
  segment by tier
  grain month
  min_sample 2
  warn < 30
}

kpi promoter_count {
  numerator promoters
  segment by tier
  grain month
  min_sample 2
}

kpi payment_coverage {
  numerator paid_total
  denominator order_total
  segment by tier
  grain month
}

kpi buyers_to_date {
  numerator buyers_to_date
  grain month
}

kpi active_ratio {
  numerator active_at_end
  denominator active_at_start
  grain month
}

kpi repeat_rate {
  numerator repeat_customers
  denominator customer_count
  segment by cohort
}

kpi adoption {
  numerator adopters
  denominator customer_count
  segment by feature
}

kpi solve_rate {
  numerator tickets_opened
  denominator tickets_solved
  segment by tier
}

kpi tickets_per_minute {
  numerator tickets_opened
  denominator avg_minutes
  segment by tier
}

kpi orders_monthly {
  numerator order_count_all
  grain month
}

kpi emea_orders {
  numerator order_count_all
  where region = "EMEA"
  grain month
}
`;
