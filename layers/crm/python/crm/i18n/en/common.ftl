# Words several areas share. The catalogs of every language hold the same ids.

product-portal = Client portal
