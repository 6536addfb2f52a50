package gateway.backup.api;

import gateway.backup.domain.DataStorage;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/** A {@code data_storages} row as GraphQL shows it (docs/graphql-api.md, type DataStorage), secrets masked. */
@Type("DataStorage")
public class DataStorageView {

    public int id;
    @NonNull
    public String name;
    public String description;
    public boolean primary;
    @NonNull
    public String type;
    @NonNull
    public String status;
    @Description("The settings JSON with every secret masked")
    public String settings;

    static DataStorageView of(DataStorage row) {
        DataStorageView view = new DataStorageView();
        view.id = row.id.intValue();
        view.name = row.name;
        view.description = row.description;
        view.primary = row.primary;
        view.type = row.type == null ? "" : row.type;
        view.status = row.status == null ? "" : row.status;
        view.settings = row.settings == null ? null : StorageSettingsMask.mask(row.settings).toString();
        return view;
    }
}
