/// How a settings key (`jobMemoryLimit`) is named in the environment (`JOB_MEMORY_LIMIT`, after
/// a prefix such as `SLUICE_` or `SLUICE_RUNNER_`), for every service's settings.
package enum SettingName {
    package static func environment(_ key: String) -> String {
        key.reduce(into: "") { name, character in
            if character.isUppercase { name += "_" }
            name += character.uppercased()
        }
    }
}
