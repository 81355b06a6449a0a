"""lihop_results - read a `lihop run` results file (HDF5) into pandas and numpy.

The layout is the README's "Output (HDF5)" and "Garnet output" sections; this
module only reads it, it computes nothing that lihop stores itself (fits,
convergence, combined seeds come from the file).

    import lihop_results as lr
    r = lr.load("quickstart.h5")
    r.model                   # 'voxel' or 'garnet'
    r.summary                 # /summary as a DataFrame, one row per finished point
    r.unit("sigma_S_m")       # 'S/m'  (r.summary.attrs['units'] holds every column's)
    r.combined                # /combined (seed replicates combined) or None
    r.sweep                   # {'temperature_K': array([...]), ...} from /sweep
    r.fits                    # /fits as a DataFrame (garnet files from before /fits: /arrhenius), or None
    r.line_points(r.fits.iloc[0])  # the (combined) rows a fit was made from
    r.tables                  # every compound table at the root by name (li_content, ...)
    r.metadata, r.status      # /metadata attributes (dict) and its status
    p = r.point(0)            # /points/0000000 (ids zero-padded to 7 digits): attrs, data, units, groups
    p["D_tracer_m2_s"]        # garnet: a scalar result (dataset of shape ()); p.value(name): old files too
    p.series("li")            # voxel: time_s and msd_m2 per axis of one species
    p.axes()                  # voxel: D, sigma, exact sigma, MSD slopes per species and axis
    p.series()                # garnet: time_s and the tracer / collective MSDs

Needs h5py, numpy and pandas (Debian: python3-h5py python3-numpy python3-pandas).
"""

import warnings

import h5py
import numpy as np
import pandas as pd

__all__ = ["load", "Results", "Point", "LihopFileError", "IncompleteResultsWarning"]

AXES = ("x", "y", "z")


class LihopFileError(Exception):
    """The file is not a lihop results file (or cannot be read as one)."""


class IncompleteResultsWarning(UserWarning):
    """The file is a lihop results file whose run has not finished."""


def _text(value):
    """A string from an HDF5 string value (bytes or str); other values unchanged."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.dtype.kind in "OS":
        return [_text(v) for v in value.tolist()]
    return value


def _scalar(value):
    """A plain Python value from an HDF5 attribute (numpy scalars unwrapped)."""
    value = _text(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _table(dset):
    """A compound dataset as a DataFrame with df.attrs['units'] = {column: unit}."""
    arr = dset[()]
    if arr.dtype.names is None:
        raise LihopFileError(f"{dset.name} is not a table (compound dataset)")
    df = pd.DataFrame.from_records(arr, columns=list(arr.dtype.names))
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].map(_text)
    units = dset.attrs.get("units")
    if units is None:
        raise LihopFileError(f"{dset.name} has no 'units' attribute")
    units = _text(np.asarray(units))
    if len(units) != len(df.columns):
        raise LihopFileError(f"{dset.name}: {len(units)} units for {len(df.columns)} columns")
    df.attrs["units"] = dict(zip(df.columns, units))
    df.attrs["source"] = dset.name
    return df


class Point:
    """One sweep point, /points/<k> (k zero-padded to 7 digits; older files: plain
    decimal): attributes, datasets and subgroups.

    attrs:  the group's attributes (coordinates, T_K, run description, complete;
            voxel also sigma_iso_S_m, t_plus)
    data:   every dataset by name (numpy arrays, shape () for a scalar result
            such as garnet D_tracer_m2_s; SI units)
    units:  the 'unit' attribute of every dataset that has one
    groups: subgroups by name as Points (garnet: drift_E1, drift_E2, bulk)
    """

    def __init__(self, group, model, species):
        self.name = group.name
        self.model = model
        self.species = species
        self.attrs = {k: _scalar(v) for k, v in group.attrs.items()}
        self.data, self.units, self.groups = {}, {}, {}
        for key, obj in group.items():
            if isinstance(obj, h5py.Group):
                self.groups[key] = Point(obj, model, species)
            else:
                self.data[key] = _text(obj[()])
                if "unit" in obj.attrs:
                    self.units[key] = _text(obj.attrs["unit"])

    def __getitem__(self, name):
        """A dataset of this point by name (KeyError naming the point when absent)."""
        if name not in self.data:
            raise KeyError(f"{self.name} has no dataset {name!r} (has: {', '.join(sorted(self.data))})")
        return self.data[name]

    def value(self, name):
        """A scalar result by name: the dataset (garnet results, voxel arrays)
        or, for files written before garnet results were datasets, the attribute."""
        if name in self.data:
            return self.data[name]
        if name in self.attrs:
            return self.attrs[name]
        raise KeyError(f"{self.name} has no dataset or attribute {name!r}")

    def _species_index(self, species):
        if self.model != "voxel":
            raise ValueError("species apply to voxel results only")
        if isinstance(species, str):
            if species not in self.species:
                raise KeyError(f"no species {species!r} (species: {', '.join(self.species)})")
            return self.species.index(species)
        return int(species)

    def series(self, species=None):
        """The per-point time series as a DataFrame (units in df.attrs['units']).

        voxel:  species (name or index) required; columns time_s, msd_x_m2,
                msd_y_m2, msd_z_m2, msd_m2 (the sum over axes).
        garnet: columns time_s, msd_tracer_m2, msd_tracer_err_m2, msd_coll_m2,
                msd_coll_err_m2 and the per-axis tracer MSDs.
        """
        if self.model == "voxel":
            if species is None:
                raise ValueError("voxel points need a species: series('li')")
            s = self._species_index(species)
            t = self["time_s"][s]
            msd = self["msd_m2"][s]
            df = pd.DataFrame({"time_s": t, **{f"msd_{a}_m2": msd[:, i] for i, a in enumerate(AXES)},
                               "msd_m2": msd.sum(axis=1)})
            df.attrs["units"] = {c: ("s" if c == "time_s" else "m^2") for c in df.columns}
            return df
        cols = {"time_s": self["time_s"]}
        for name in ("msd_tracer_m2", "msd_tracer_err_m2", "msd_coll_m2", "msd_coll_err_m2"):
            cols[name] = self[name]
        for i, a in enumerate(AXES):
            cols[f"msd_tracer_{a}_m2"] = self["msd_tracer_axis_m2"][:, i]
        df = pd.DataFrame(cols)
        df.attrs["units"] = {c: ("s" if c == "time_s" else "m^2") for c in df.columns}
        return df

    def axes(self):
        """Voxel: one row per species and axis with D, sigma, the exact network
        sigma, the MSD slopes over [t/4, t/2] and [t/2, t] and the convergence flag.
        Garnet: one row per axis with D*, D_sigma and the Nernst-Einstein sigma."""
        if self.model == "voxel":
            names = ["D_m2_s", "D_err_m2_s", "sigma_S_m", "sigma_err_S_m", "sigma_exact_S_m",
                     "D_early_m2_s", "D_late_m2_s", "slope_change_err_m2_s", "converged_axis"]
            rows = []
            for s, sp in enumerate(self.species):
                for i, a in enumerate(AXES):
                    row = {"species": sp, "axis": a}
                    row.update({n: self[n][s][i] for n in names})
                    row["extensions"] = int(self["extensions"][s])
                    rows.append(row)
            df = pd.DataFrame(rows)
            df.attrs["units"] = {n: self.units.get(n, "1") for n in names}
            return df
        names = ["D_tracer_axis_m2_s", "D_tracer_axis_err_m2_s", "D_sigma_axis_m2_s",
                 "D_sigma_axis_err_m2_s", "sigma_NE_axis_S_m", "sigma_NE_axis_err_S_m"]
        df = pd.DataFrame({"axis": list(AXES), **{n: self[n] for n in names}})
        df.attrs["units"] = {n: self.units.get(n, "1") for n in names}
        return df


class Results:
    """A lihop results file read into memory (see the module docstring)."""

    def __init__(self, path, f):
        self.path = str(path)
        if "metadata" in f and "file_kind" in f["metadata"].attrs:
            kind = _text(f["metadata"].attrs["file_kind"])
            raise LihopFileError(f"{path}: not a lihop results file (a {kind} file; its /metadata tells what made it)")
        if "metadata" not in f or "model" not in f["metadata"].attrs:
            raise LihopFileError(f"{path}: not a lihop results file (no /metadata with a 'model' attribute)")
        self.metadata = {k: _scalar(v) for k, v in f["metadata"].attrs.items()}
        self.model = self.metadata["model"]
        if self.model not in ("voxel", "garnet"):
            raise LihopFileError(f"{path}: unknown model {self.model!r}")
        self.status = self.metadata.get("status", "")
        self.complete = self.status == "complete"
        if not self.complete:
            warnings.warn(f"{path}: status is {self.status!r}, not 'complete'; showing the points that "
                          "finished (lihop run ... --resume completes it)", IncompleteResultsWarning,
                          stacklevel=3)
        self.species = self._names(f, "metadata/species/name") if self.model == "voxel" else ["li"]
        self.phases = self._names(f, "metadata/phases/name") if self.model == "voxel" else []
        self.sweep = {k: np.asarray(f["sweep"][k][()]) for k in f["sweep"]} if "sweep" in f else {}
        self.sweep_attrs = ({k: {a: _scalar(v) for a, v in f["sweep"][k].attrs.items()} for k in f["sweep"]}
                            if "sweep" in f else {})
        self.tables = {k: _table(f[k]) for k in f
                       if isinstance(f[k], h5py.Dataset) and f[k].dtype.names is not None}
        if "summary" in self.tables:
            self.summary = self.tables["summary"]
        else:
            warnings.warn(f"{path}: no /summary (no point has finished)", IncompleteResultsWarning, stacklevel=3)
            self.summary = pd.DataFrame()
            self.summary.attrs["units"] = {}
        self.combined = self.tables.get("combined")
        # both models write /fits; garnet files from before it have only /arrhenius
        self.fits = self.tables.get("fits")
        if self.fits is None and self.model == "garnet":
            self.fits = self.tables.get("arrhenius")
        self._points = {}
        if "points" in f:
            for key, g in f["points"].items():
                if g.attrs.get("complete", 0) == 1:
                    self._points[int(key)] = Point(g, self.model, self.species)
        self.point_ids = sorted(self._points)

    @staticmethod
    def _names(f, path):
        if path not in f:
            raise LihopFileError(f"{f.filename}: /{path} is missing")
        return _text(f[path][()])

    def unit(self, column, table="summary"):
        """The unit of a column of a table ('summary', 'combined', 'fits', or any in tables)."""
        df = getattr(self, table, None) if table in ("summary", "combined", "fits") else self.tables.get(table)
        if df is None:
            raise KeyError(f"{self.path} has no table {table!r}")
        units = df.attrs["units"]
        if column not in units:
            raise KeyError(f"{table} has no column {column!r}")
        return units[column]

    def line_coordinates(self):
        """The coordinate columns that name a fit line (fits columns before n_T)."""
        if self.fits is None:
            return []
        cols = list(self.fits.columns)
        return [c for c in cols[:cols.index("n_T")] if c not in ("line", "species")]

    def line_points(self, fit_row):
        """The rows of /combined (or /summary without seed replicates) on the
        sweep line of one fits row (a row of r.fits), sorted by temperature."""
        table = self.combined if self.combined is not None else self.summary
        mask = np.ones(len(table), dtype=bool)
        for c in self.line_coordinates():
            mask &= np.isclose(table[c].to_numpy(dtype=float), float(fit_row[c]), rtol=1e-12, atol=0)
        return table[mask].sort_values("T_K")

    def point(self, k):
        """The finished point /points/<k> as a Point (KeyError when absent or unfinished)."""
        if int(k) not in self._points:
            raise KeyError(f"{self.path}: no finished point {k} (finished: {self.point_ids})")
        return self._points[int(k)]

    def __repr__(self):
        return (f"<lihop results {self.path}: model {self.model}, status {self.status}, "
                f"{len(self.summary)} points, sweep {list(self.sweep)}>")


def load(path):
    """Read a lihop results file. Raises LihopFileError for a file that is not
    one; warns (IncompleteResultsWarning) and loads the finished points of an
    incomplete one."""
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise LihopFileError(f"{path}: cannot open as HDF5 ({e})") from e
    with f:
        return Results(path, f)
