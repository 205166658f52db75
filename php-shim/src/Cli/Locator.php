<?php
/**
 * Finding the WordPress (and, on Debian, the site config) that the
 * stand-alone runner, bin/workos.php, is to load.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

// Loaded by bin/workos.php before WordPress, so ABSPATH is not defined yet;
// never over HTTP.
defined( 'ABSPATH' ) || 'cli' === PHP_SAPI || exit;

/**
 * What WP-CLI does for `--path` and `--url`, plus what Debian's WordPress
 * package needs: its /usr/share/wordpress/wp-config.php reads
 * /etc/wordpress/config-<host>.php for the request's host (or the
 * WORDPRESS_CONFIG server variable), and a command line has no host. So,
 * unless --url names a host with a config, the runner picks the config
 * itself: the only one there is, else the one whose WP_CONTENT_DIR holds
 * the plugin copy that was run (`php wp-content/plugins/workos/bin/…` from
 * the site's directory), else it says what to pass.
 *
 * Each method returns an error message ('' = fine) rather than exiting, so
 * the runner prints it once, prefixed, with exit status 2.
 */
final class Locator {

	/** Where Debian's package installs WordPress. */
	public const DEBIAN_ROOT = '/usr/share/wordpress';

	/** Debian's per-site configs: config-<host>.php or config-<name>.php. */
	public const DEBIAN_CONFIGS = '/etc/wordpress';

	/** Debian's wp-config.php sets this content directory unless a site config does. */
	public const DEBIAN_CONTENT_DIR = '/var/lib/wordpress/wp-content';

	/**
	 * The wp-load.php to require: --path's, else the first found walking up
	 * from the working directory, from the script as it was typed (a plugin
	 * symlinked into wp-content/plugins is found in its site), from the
	 * script's real place; else Debian's.
	 *
	 * @param string|null $path   --path, if given.
	 * @param string      $script The script as typed ($argv[0]).
	 * @param string      $cwd    Working directory.
	 * @param string      $error  Set to why nothing was found.
	 */
	public static function wp_load( ?string $path, string $script, string $cwd, string &$error ): string {
		$error = '';
		if ( null !== $path ) {
			$dir = rtrim( self::absolute( $path, $cwd ), '/' );
			if ( is_file( $dir . '/wp-load.php' ) ) {
				return $dir . '/wp-load.php';
			}
			$error = sprintf( 'no WordPress at --path=%s (there is no wp-load.php in %s).', $path, '' === $dir ? '/' : $dir );
			return '';
		}
		foreach ( array( $cwd, dirname( self::absolute( $script, $cwd ) ), __DIR__ ) as $start ) {
			for ( $dir = $start; ; $dir = dirname( $dir ) ) {
				if ( is_file( $dir . '/wp-load.php' ) ) {
					return $dir . '/wp-load.php';
				}
				if ( dirname( $dir ) === $dir ) {
					break;
				}
			}
		}
		if ( is_file( self::DEBIAN_ROOT . '/wp-load.php' ) ) {
			return self::DEBIAN_ROOT . '/wp-load.php';
		}
		$error = sprintf( 'WordPress not found above %s or this plugin: name its directory (the one with wp-load.php) with --path=/path/to/wordpress.', $cwd );
		return '';
	}

	/**
	 * Makes the request look like one for --url, as WP-CLI does: the host
	 * chooses the site of a multisite network and Debian's site config.
	 *
	 * @param string $url --url.
	 * @return string Error message, '' when set.
	 */
	public static function request_url( string $url ): string {
		$parts = parse_url( false === strpos( $url, '://' ) ? 'http://' . $url : $url ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- WordPress is not loaded yet.
		if ( ! is_array( $parts ) || empty( $parts['host'] ) || ! preg_match( '/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+)$/', $parts['host'] ) ) {
			return sprintf( '--url=%s is not a site address (e.g. --url=https://example.com).', $url );
		}
		$https                      = 'https' === strtolower( (string) ( $parts['scheme'] ?? 'http' ) );
		$_SERVER['HTTP_HOST']       = $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
		$_SERVER['SERVER_NAME']     = $parts['host'];
		$_SERVER['SERVER_PORT']     = (string) ( $parts['port'] ?? ( $https ? 443 : 80 ) );
		$_SERVER['REQUEST_URI']     = ( $parts['path'] ?? '/' ) . ( isset( $parts['query'] ) ? '?' . $parts['query'] : '' );
		$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
		if ( $https ) {
			$_SERVER['HTTPS'] = 'on';
		}
		return '';
	}

	/**
	 * On a Debian WordPress, chooses the site config when the host does not
	 * (see the class comment). Elsewhere, does nothing.
	 *
	 * @param string $root   The WordPress directory.
	 * @param string $script The script as typed ($argv[0]).
	 * @param string $cwd    Working directory.
	 * @return string Error message, '' when WordPress can be loaded.
	 */
	public static function debian_config( string $root, string $script, string $cwd ): string {
		$config = $root . '/wp-config.php';
		// phpcs:ignore WordPress.WP.AlternativeFunctions -- WordPress is not loaded yet.
		if ( ! is_readable( $config ) || false === strpos( (string) file_get_contents( $config ), self::DEBIAN_CONFIGS . '/config-' ) ) {
			return '';
		}
		if ( false !== getenv( 'WORDPRESS_CONFIG' ) || isset( $_SERVER['WORDPRESS_CONFIG'] ) ) {
			return ''; // Named by the caller, as a web server's SetEnv would.
		}
		$host = strtolower( (string) preg_replace( '/[^a-zA-Z0-9.\-]/', '', (string) preg_replace( '/:.*/', '', (string) ( $_SERVER['HTTP_HOST'] ?? '' ) ) ) );
		// Debian's wp-config.php reads HTTP_HOST unconditionally.
		$_SERVER['HTTP_HOST'] = (string) ( $_SERVER['HTTP_HOST'] ?? '' );
		if ( '' !== $host && ( is_file( self::DEBIAN_CONFIGS . "/config-$host.php" ) || is_file( self::DEBIAN_CONFIGS . '/config-' . preg_replace( '/^[^.]*\./', '', $host ) . '.php' ) ) ) {
			return '';
		}
		$names = array();
		foreach ( (array) glob( self::DEBIAN_CONFIGS . '/config-*.php' ) as $file ) {
			$names[] = substr( basename( (string) $file, '.php' ), strlen( 'config-' ) );
		}
		if ( 1 === count( $names ) ) {
			return self::use_config( $names[0] );
		}
		$mine = self::content_dir( $script, $cwd );
		if ( '' !== $mine && $names ) {
			// Reading a config takes a PHP process each: first the configs that name this
			// site's directory (a site config usually requires or defines paths inside it).
			$named = array_values(
				array_filter(
					$names,
					static function ( string $name ) use ( $mine ): bool {
						$text = (string) file_get_contents( self::DEBIAN_CONFIGS . "/config-$name.php" ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- WordPress is not loaded yet.
						return false !== strpos( $text, dirname( $mine ) . '/' );
					}
				)
			);
			$matches = array();
			foreach ( $named ? $named : $names as $name ) {
				if ( self::config_content_dir( $root, $name ) === $mine ) {
					$matches[] = $name;
				}
			}
			if ( 1 === count( $matches ) ) {
				return self::use_config( $matches[0] );
			}
		}
		if ( is_file( self::DEBIAN_CONFIGS . '/config-default.php' ) ) {
			return ''; // Debian's own fallback.
		}
		$list = $names ? implode( ', ', array_map( static fn( $n ) => "config-$n.php", $names ) ) : 'none';
		if ( '' === $host ) {
			return sprintf( 'Debian\'s WordPress loads %s/config-<host>.php for the site\'s host, and a command line has no host: name the site with --url=https://your-site (or run the plugin from the site\'s own wp-content, or set WORDPRESS_CONFIG=<name> for config-<name>.php). Site configs: %s.', self::DEBIAN_CONFIGS, $list );
		}
		return sprintf( 'Debian\'s WordPress loads %1$s/config-<host>.php for the site\'s host, and there is no %1$s/config-%2$s.php: run the plugin from the site\'s own wp-content (php wp-content/plugins/workos/bin/workos.php from the site\'s directory), or set WORDPRESS_CONFIG=<name> for config-<name>.php. Site configs: %3$s.', self::DEBIAN_CONFIGS, $host, $list );
	}

	/**
	 * Makes Debian's wp-config.php read config-<name>.php.
	 *
	 * @param string $name The part between `config-` and `.php`.
	 */
	private static function use_config( string $name ): string {
		if ( preg_match( '/^[a-zA-Z0-9-]+$/', $name ) ) {
			$_SERVER['WORDPRESS_CONFIG'] = $name; // What Debian's wp-config.php checks first.
		} else {
			// A host name (config-example.com.php): Debian only finds it by the host.
			$port                 = (string) preg_replace( '/^[^:]*/', '', (string) $_SERVER['HTTP_HOST'] );
			$_SERVER['HTTP_HOST'] = $name . $port;
		}
		return '';
	}

	/**
	 * The content directory the script was run from, when it was run as
	 * <content dir>/plugins/<plugin>/bin/<script>: symlinks kept, as typed.
	 *
	 * @param string $script The script as typed.
	 * @param string $cwd    Working directory.
	 */
	private static function content_dir( string $script, string $cwd ): string {
		$path = self::absolute( $script, $cwd );
		if ( 'bin' !== basename( dirname( $path ) ) || 'plugins' !== basename( dirname( $path, 3 ) ) ) {
			return '';
		}
		$real = realpath( dirname( $path, 4 ) );
		return false === $real ? '' : $real;
	}

	/**
	 * The WP_CONTENT_DIR a site config sets (Debian's default when it sets
	 * none), read in a separate PHP process: a config defines constants, which
	 * could not be undefined again here before the chosen one is loaded.
	 *
	 * @param string $root The WordPress directory.
	 * @param string $name The part between `config-` and `.php`.
	 */
	private static function config_content_dir( string $root, string $name ): string {
		$code  = 'error_reporting(0); $_SERVER["HTTP_HOST"] = ""; require $argv[1];'
			. ' echo "\n@content_dir=", defined("WP_CONTENT_DIR") ? WP_CONTENT_DIR : (defined("DONT_SET_WP_CONTENT_DIR") ? $argv[2] . "/wp-content" : $argv[3]);';
		$spec  = array(
			0 => array( 'file', '/dev/null', 'r' ),
			1 => array( 'pipe', 'w' ),
			2 => array( 'file', '/dev/null', 'w' ),
		);
		$pipes = array();
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_proc_open -- an argument vector, no shell; the config is the site's own, which every request runs.
		$proc = proc_open( array( PHP_BINARY, '-n', '-r', $code, '--', self::DEBIAN_CONFIGS . "/config-$name.php", $root, self::DEBIAN_CONTENT_DIR ), $spec, $pipes );
		if ( ! is_resource( $proc ) ) {
			return '';
		}
		$out = (string) stream_get_contents( $pipes[1] );
		fclose( $pipes[1] ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- WordPress is not loaded yet.
		proc_close( $proc );
		if ( ! preg_match( '/\n@content_dir=(.*)$/', $out, $m ) ) {
			return '';
		}
		$real = realpath( trim( $m[1] ) );
		return false === $real ? '' : $real;
	}

	/**
	 * A path made absolute against the working directory, without resolving
	 * symlinks (`..` and `.` removed by name).
	 *
	 * @param string $path Path.
	 * @param string $cwd  Working directory.
	 */
	private static function absolute( string $path, string $cwd ): string {
		$path  = 0 === strpos( $path, '/' ) ? $path : rtrim( $cwd, '/' ) . '/' . $path;
		$parts = array();
		foreach ( explode( '/', $path ) as $part ) {
			if ( '..' === $part ) {
				array_pop( $parts );
			} elseif ( '' !== $part && '.' !== $part ) {
				$parts[] = $part;
			}
		}
		return '/' . implode( '/', $parts );
	}
}
