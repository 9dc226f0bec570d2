"""Finding the tables on a sheet of the grid and reading their cells into figures: pure
functions over responses_app.importing.grid, tested on plain grids."""
