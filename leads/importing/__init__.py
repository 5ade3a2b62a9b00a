"""Reading platform inquiry exports (Alibaba, Made-in-China, any spreadsheet): pure, no Django."""
