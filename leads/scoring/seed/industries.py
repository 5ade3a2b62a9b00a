"""Decides which industries the fit score knows, whether each is a target, and how much its evidence weighs.

Weights, relative to a core target market at 1.0:

- Our own product vocabulary weighs 1.5: a site that names UV germicidal lamps or
  electronic ballasts is a buyer or a competitor-distributor, the strongest signal there is.
- Markets that buy UV for water, air and surfaces as part of their trade weigh 0.8–1.0.
- Broad end markets (schools, households, swimming pools) weigh 0.5–0.7: their words also
  turn up on unrelated pages ("close to schools", "villa with pool"), so one mention must
  not make a lead.
- Unrelated industries weigh 1.0, except cosmetics and beauty salons at 0.7: salons do buy
  small UV sterilizer cabinets, so their vocabulary is weaker evidence against a fit.
"""

from __future__ import annotations

from leads.scoring.specs import IndustrySpec

__all__ = ["INDUSTRIES", "NEGATIVE_INDUSTRIES", "TARGET_INDUSTRIES"]

TARGET_INDUSTRIES: tuple[IndustrySpec, ...] = (
    IndustrySpec("uv_products", "UV lamps and sterilizers (our products)", True, 1.5),
    IndustrySpec("water_treatment", "Water treatment engineering", True, 1.0),
    IndustrySpec("fertilizer_water_purification", "Fertilizer and water purification", True, 0.9),
    IndustrySpec("river_purification", "Municipal and river purification", True, 1.0),
    IndustrySpec("aquaculture", "Aquaculture", True, 1.0),
    IndustrySpec("organic_agriculture", "Organic agriculture and greenhouses", True, 0.8),
    IndustrySpec("oil_fume_purification", "Oil-fume and kitchen exhaust purification", True, 0.9),
    IndustrySpec("exhaust_gas_treatment", "Exhaust gas treatment", True, 0.9),
    IndustrySpec("purification_engineering", "Purification engineering and cleanrooms", True, 1.0),
    IndustrySpec("sterilization_disinfection", "Sterilization and disinfection", True, 1.0),
    IndustrySpec("hospitals", "Hospitals", True, 0.9),
    IndustrySpec("clinics", "Clinics and dental practices", True, 0.8),
    IndustrySpec("laboratories", "Laboratories", True, 0.8),
    IndustrySpec("hvac_air_purification", "HVAC and air purification", True, 0.8),
    IndustrySpec("food_beverage", "Food and beverage processing", True, 0.8),
    IndustrySpec("swimming_pools", "Swimming pools", True, 0.7),
    IndustrySpec("households", "Household appliances and UV desk lamps", True, 0.6),
    IndustrySpec("schools", "Schools and kindergartens", True, 0.5),
)

NEGATIVE_INDUSTRIES: tuple[IndustrySpec, ...] = (
    IndustrySpec("fashion_apparel", "Fashion and apparel", False, 1.0),
    IndustrySpec("jewelry", "Jewelry", False, 1.0),
    IndustrySpec("cosmetics_beauty", "Cosmetics and beauty salons", False, 0.7),
    IndustrySpec("real_estate", "Real estate agencies", False, 1.0),
    IndustrySpec("crypto_trading", "Cryptocurrency, forex and trading signals", False, 1.0),
    IndustrySpec("gambling", "Gambling and casinos", False, 1.0),
    IndustrySpec("dating", "Dating services", False, 1.0),
    IndustrySpec("car_dealerships", "Car dealerships", False, 1.0),
    IndustrySpec("travel_agencies", "Travel agencies", False, 1.0),
    IndustrySpec("wedding_planning", "Wedding planning", False, 1.0),
    IndustrySpec("toys", "Toys and games", False, 1.0),
)

INDUSTRIES: tuple[IndustrySpec, ...] = TARGET_INDUSTRIES + NEGATIVE_INDUSTRIES
