<?php
/**
 * How to load the workos extension into the PHP that serves this site.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * The facts a site owner needs to install the extension, read from the PHP
 * that runs this very request (not from the command line's PHP, which may
 * differ): the build to pick, where its ini line goes, and what to restart.
 * `make dist` (scripts/dist.sh) names the release builds with build_name(),
 * so the name the notice asks for is the name of the file in the release.
 */
final class ExtensionInstall {

	/**
	 * The release build's file name for a PHP: version, thread safety and
	 * machine, e.g. `workos-0.1.0-php8.2-nts-x86_64.so`. An extension only
	 * loads into the PHP minor version and thread-safety mode it was built
	 * for, so both are in the name.
	 *
	 * @param string $version   Plugin (and extension) version.
	 * @param string $php       PHP version, "major.minor" ('' = this PHP).
	 * @param bool   $zts       Thread-safe PHP (null = this PHP).
	 * @param string $machine   Machine name as `uname -m` says it ('' = this one).
	 */
	public static function build_name( string $version, string $php = '', ?bool $zts = null, string $machine = '' ): string {
		$php     = '' !== $php ? $php : PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
		$zts     = null !== $zts ? $zts : (bool) PHP_ZTS;
		$machine = '' !== $machine ? $machine : php_uname( 'm' );
		return sprintf( 'workos-%s-php%s-%s-%s.so', $version, $php, $zts ? 'zts' : 'nts', preg_replace( '/[^A-Za-z0-9_]/', '', $machine ) );
	}

	/**
	 * Where this PHP reads extra ini files (its conf.d), or '' when it was
	 * built without one.
	 */
	public static function conf_dir(): string {
		return defined( 'PHP_CONFIG_FILE_SCAN_DIR' ) ? (string) PHP_CONFIG_FILE_SCAN_DIR : '';
	}

	/**
	 * The steps, as lines a site owner can copy: the build to use, where to
	 * put it, the ini file and its line, the restart.
	 *
	 * @param string $version Plugin version.
	 * @return array{build: string, extension_dir: string, ini_file: string, ini_line: string, restart: string, php: string}
	 */
	public static function steps( string $version ): array {
		$dir  = (string) ini_get( 'extension_dir' );
		$conf = self::conf_dir();
		$ini  = '' !== $conf ? rtrim( $conf, '/' ) . '/20-workos.ini' : (string) php_ini_loaded_file();
		return array(
			'build'         => self::build_name( $version ),
			'extension_dir' => $dir,
			'ini_file'      => $ini,
			// The build copied into extension_dir as workos.so: the short line then works.
			'ini_line'      => 'extension=workos',
			'restart'       => self::restart_hint(),
			'php'           => sprintf( 'PHP %s (%s, %s)', PHP_VERSION, PHP_SAPI, PHP_ZTS ? 'thread-safe' : 'non-thread-safe' ),
		);
	}

	/**
	 * What to restart so the PHP serving the site reads the new ini file.
	 */
	private static function restart_hint(): string {
		$minor = PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
		switch ( PHP_SAPI ) {
			case 'fpm-fcgi':
				return 'systemctl restart php' . $minor . '-fpm';
			case 'apache2handler':
				return 'systemctl restart apache2';
			default:
				return __( 'Restart the PHP process that serves this site.', 'workos' );
		}
	}

	/**
	 * A warning when the loaded extension was built for another plugin
	 * version (the PHP API is a contract between the two); null when they
	 * agree or no extension is loaded.
	 *
	 * @param string $version Plugin version.
	 */
	public static function version_mismatch( string $version ): ?string {
		$loaded = phpversion( 'workos' );
		if ( false === $loaded || $loaded === $version ) {
			return null;
		}
		return sprintf(
			/* translators: 1: extension version, 2: plugin version, 3: file name of the matching build. */
			__( 'The loaded workos extension is version %1$s but the plugin is version %2$s. Install the extension of the same release (%3$s) and restart PHP.', 'workos' ),
			$loaded,
			$version,
			self::build_name( $version )
		);
	}
}
